namespace Pipeline.Ingest.Sft;

/// <summary>What curation did, written as <c>summary.json</c> next to train/eval.</summary>
public sealed record SftCurationSummary
{
    public required long Read { get; init; }
    public required long Quarantined { get; init; }
    public required IReadOnlyDictionary<string, long> Filtered { get; init; }
    public required long ExactDuplicates { get; init; }
    public required long NearDuplicates { get; init; }
    public required long DroppedForBalance { get; init; }
    public required double SafetyRatioTarget { get; init; }
    public required double SafetyRatio { get; init; }
    public required IReadOnlyDictionary<string, long> Categories { get; init; }
    public required long Train { get; init; }
    public required long Eval { get; init; }
}
