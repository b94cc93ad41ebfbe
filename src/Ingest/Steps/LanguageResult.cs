namespace Pipeline.Ingest.Steps;

/// <summary>ISO 639-1 code (or "unknown") with a confidence in [0, 1].</summary>
public readonly record struct LanguageResult(string Language, double Score)
{
    public const string Unknown = "unknown";
}
