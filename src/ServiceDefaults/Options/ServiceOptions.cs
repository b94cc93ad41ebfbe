namespace Pipeline.ServiceDefaults.Options;

/// <summary>Section <c>Service</c>: this process's identity and its health port.</summary>
public sealed class ServiceOptions
{
    public const string Section = "Service";

    public string Name { get; set; } = "pipeline";
    /// <summary>Port of the health endpoints; 0 keeps ASP.NET's own URL settings.</summary>
    public int HttpPort { get; set; }
}
