namespace Pipeline.ServiceDefaults.Messaging;

/// <summary>
/// The message itself is bad (missing blob, wrong schema): retrying cannot help, so the retry policy
/// skips it and MassTransit moves the message to the endpoint's <c>_error</c> queue at once.
/// </summary>
public sealed class UnprocessableMessageException(string message, Exception? inner = null) : Exception(message, inner);
