using Pipeline.Contracts.Storage;

namespace Pipeline.Orchestrator.Iterations;

/// <summary>The persisted state of one RLHF iteration (V1, V2, ...): the saga's state lives in blob storage.</summary>
public sealed record IterationRecord
{
    public required int Number { get; init; }
    public required string BatchId { get; init; }
    public required Guid RunId { get; init; }
    public required string Status { get; init; }
    public BlobFolderReference? StartPolicy { get; init; }
    public required IReadOnlyList<BlobReference> Preferences { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
}
