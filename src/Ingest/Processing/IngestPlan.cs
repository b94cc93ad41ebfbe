using Pipeline.Contracts.Storage;

namespace Pipeline.Ingest.Processing;

/// <summary>The shards of a run, written once (CreateNew) before any FilterShard is published.</summary>
public sealed record IngestPlan
{
    public required Guid RunId { get; init; }
    public required IReadOnlyList<PlannedShard> Shards { get; init; }
    public IReadOnlyList<string> Languages { get; init; } = [];
    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;
}

public sealed record PlannedShard(string ShardId, BlobReference Source);
