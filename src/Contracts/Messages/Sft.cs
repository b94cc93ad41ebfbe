using Pipeline.Contracts.Storage;

namespace Pipeline.Contracts.Messages;

/// <summary>Validate, filter, deduplicate, balance and split SFT example files.</summary>
public sealed record CurateSft : PipelineMessage
{
    public required IReadOnlyList<BlobReference> Files { get; init; }
    /// <summary>Target share of safety examples in the curated set.</summary>
    public double SafetyRatio { get; init; } = 0.25;
    public double EvalFraction { get; init; } = 0.05;
}

public sealed record SftDatasetCurated : PipelineMessage
{
    public required BlobReference Train { get; init; }
    public required BlobReference Eval { get; init; }
    public BlobReference? Quarantined { get; init; }
    public required long ExamplesRead { get; init; }
    public required long TrainExamples { get; init; }
    public required long EvalExamples { get; init; }
    public required long QuarantinedExamples { get; init; }
    /// <summary>Curation summary (filter, duplicate and balance counts; category shares), written before this event.</summary>
    public BlobReference? Summary { get; init; }
}
