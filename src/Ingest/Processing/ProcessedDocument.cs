using Pipeline.Ingest.Reading;
using Pipeline.Ingest.Steps;

namespace Pipeline.Ingest.Processing;

/// <summary>A document after the chain: its final text and every annotation, and the verdict when it was dropped.</summary>
public sealed record ProcessedDocument(
    RawDocument Source,
    string Text,
    LanguageResult Language,
    FilterVerdict? Rejection,
    PiiResult? Pii,
    double Toxicity,
    DemographicHits Demographics,
    int C4LinesRemoved)
{
    public bool Kept => Rejection is null;
}
