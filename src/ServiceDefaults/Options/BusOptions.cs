namespace Pipeline.ServiceDefaults.Options;

public enum BusTransport
{
    InMemory,
    RabbitMq,
}

/// <summary>Section <c>Bus</c>: which transport and, for RabbitMQ, where and who.</summary>
public sealed class BusOptions
{
    public const string Section = "Bus";

    public BusTransport Transport { get; set; } = BusTransport.InMemory;
    public string Host { get; set; } = "localhost";
    public int Port { get; set; } = 5672;
    public string VirtualHost { get; set; } = "/";
    public string Username { get; set; } = "guest";
    public string Password { get; set; } = "guest";
    /// <summary>In-process immediate retries before a message goes to its <c>_error</c> queue.</summary>
    public int RetryLimit { get; set; } = 3;
    public int RetryIntervalMilliseconds { get; set; } = 500;
    /// <summary>Messages handled at once per endpoint; training consumers override this to 1.</summary>
    public int PrefetchCount { get; set; } = 8;
}
