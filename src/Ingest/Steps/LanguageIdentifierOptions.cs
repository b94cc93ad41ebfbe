namespace Pipeline.Ingest.Steps;

public sealed class LanguageIdentifierOptions
{
    /// <summary>Below this confidence a document's language is "unknown" (the paper's fastText threshold is 0.5).</summary>
    public double MinConfidence { get; set; } = 0.5;
    /// <summary>Only the start of a long document is looked at: language rarely changes and this bounds the cost.</summary>
    public int MaxCharacters { get; set; } = 8000;
}
