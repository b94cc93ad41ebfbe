using Pipeline.Contracts.Storage;

namespace Pipeline.Ingest.Processing;

/// <summary>The per-shard result document (<c>runs/{run}/results/{group}/{shard}.json</c>); whoever creates it publishes ShardFiltered.</summary>
public sealed record ShardResult
{
    public required string ShardId { get; init; }
    public required BlobReference Source { get; init; }
    public required BlobReference Kept { get; init; }
    public BlobReference? Rejected { get; init; }
    public BlobReference? Quarantined { get; init; }
    public required ShardStats Stats { get; init; }
    public required double Seconds { get; init; }
    public required string Worker { get; init; }
}
