using Pipeline.Contracts.Storage;

namespace Pipeline.Contracts.Messages;

/// <summary>Remove exact and near duplicates from filtered shards, also against earlier batches.</summary>
public sealed record DeduplicateCorpus : PipelineMessage
{
    public required IReadOnlyList<BlobReference> Shards { get; init; }
    public double JaccardThreshold { get; init; } = 0.8;
    public int NgramSize { get; init; } = 5;
    public int Permutations { get; init; } = 128;
}

/// <summary>One shard after duplicate removal.</summary>
public sealed record ShardDeduplicated : PipelineMessage
{
    public required string ShardId { get; init; }
    public required BlobReference Source { get; init; }
    public required BlobReference Kept { get; init; }
    public required long DocumentsIn { get; init; }
    public required long DocumentsOut { get; init; }
}

/// <summary>The whole dedup request is done.</summary>
public sealed record CorpusDeduplicated : PipelineMessage
{
    public required IReadOnlyList<BlobReference> KeptShards { get; init; }
    public BlobReference? RemovedList { get; init; }
    public required long DocumentsIn { get; init; }
    public required long DocumentsOut { get; init; }
    public required long ExactDuplicates { get; init; }
    public required long NearDuplicates { get; init; }
    /// <summary>The run's summary (cluster size histogram, LSH S-curve, counts) as JSON.</summary>
    public BlobReference? Report { get; init; }
}

/// <summary>Measure benchmark contamination of a corpus (Llama 2 Appendix A.6).</summary>
public sealed record AnalyseContamination : PipelineMessage
{
    public required IReadOnlyList<BlobReference> Benchmarks { get; init; }
    public required IReadOnlyList<BlobReference> Corpus { get; init; }
    public int MinMatchTokens { get; init; } = 10;
    /// <summary>Also write the corpus without the documents that matched a benchmark sample.</summary>
    public bool Decontaminate { get; init; }
}

public sealed record ContaminationAnalysed : PipelineMessage
{
    public required BlobReference Report { get; init; }
    /// <summary>With <c>Decontaminate</c>: the corpus shards without the matching documents, in request order.</summary>
    public IReadOnlyList<BlobReference>? DecontaminatedShards { get; init; }
}
