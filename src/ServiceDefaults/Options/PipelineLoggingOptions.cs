namespace Pipeline.ServiceDefaults.Options;

/// <summary>Section <c>Logging:Pipeline</c>: where the console and file logs go.</summary>
public sealed class PipelineLoggingOptions
{
    public const string Section = "Logging:Pipeline";

    /// <summary>Rolling CLEF log file; empty disables it. Default: .pipeline/logs/SERVICE-.clef.</summary>
    public string? FilePath { get; set; }
    /// <summary>The CLI writes logs to stderr so that --json output on stdout stays parseable.</summary>
    public bool ConsoleToStandardError { get; set; }
    public string MinimumLevel { get; set; } = "Information";
    public bool Console { get; set; } = true;
}
