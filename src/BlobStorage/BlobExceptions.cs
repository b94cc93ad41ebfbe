namespace Pipeline.BlobStorage;

public sealed class BlobAlreadyExistsException(string container, string name)
    : IOException($"Blob '{container}/{name}' already exists.");

public sealed class BlobNotFoundException(string container, string name)
    : FileNotFoundException($"Blob '{container}/{name}' does not exist.");

public sealed class InvalidBlobNameException(string message) : ArgumentException(message);
