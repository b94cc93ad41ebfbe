namespace Pipeline.Contracts.Messages;

/// <summary>
/// Internal stages of one dedup run; each names the run's folder in the blob store (where the job
/// manifest and every stage's artifacts live) and its unit of work, so any Dedup instance can take it.
/// </summary>
public abstract record DedupStageMessage : PipelineMessage
{
    public required string Container { get; init; }
    /// <summary>The run's folder, e.g. <c>runs/{runId}</c>; the job manifest is <c>{JobPrefix}/job.json</c>.</summary>
    public required string JobPrefix { get; init; }
}

/// <summary>Stage 1: normalise, hash and MinHash one input shard.</summary>
public sealed record ComputeDedupSignatures : DedupStageMessage
{
    public required int ShardIndex { get; init; }
}

/// <summary>Stage 2: bucket one range of LSH bands (and a slice of exact hashes) and emit candidate pairs, also against the persisted index.</summary>
public sealed record FindDedupCandidates : DedupStageMessage
{
    public required int BandRange { get; init; }
}

/// <summary>Stage 3: union-find over every candidate pair; decides which documents go.</summary>
public sealed record ClusterDedupCandidates : DedupStageMessage;

/// <summary>Stage 4: write one shard's kept documents and removed list, and add its kept documents to the index.</summary>
public sealed record FilterDedupShard : DedupStageMessage
{
    public required int ShardIndex { get; init; }
}
