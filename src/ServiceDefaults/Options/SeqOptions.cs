namespace Pipeline.ServiceDefaults.Options;

/// <summary>Section <c>Seq</c>: logs go to Seq only when a server URL is set.</summary>
public sealed class SeqOptions
{
    public const string Section = "Seq";

    public string? ServerUrl { get; set; }
    public string? ApiKey { get; set; }
}
