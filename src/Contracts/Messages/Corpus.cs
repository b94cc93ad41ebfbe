using Pipeline.Contracts.Storage;

namespace Pipeline.Contracts.Messages;

/// <summary>New raw text landed (published by the landing watcher or a user).</summary>
public sealed record CorpusLanded : PipelineMessage
{
    public required string Container { get; init; }
    public required string Prefix { get; init; }
    public required IReadOnlyList<BlobReference> Files { get; init; }
}

/// <summary>Ingest every file under a source prefix: decode, normalise, filter, annotate, shard.</summary>
public sealed record IngestCorpus : PipelineMessage
{
    public required string SourceContainer { get; init; }
    public string SourcePrefix { get; init; } = "";
    /// <summary>ISO 639-1 codes to keep; empty keeps every language.</summary>
    public IReadOnlyList<string> Languages { get; init; } = [];
    /// <summary>JSONL field that holds the text.</summary>
    public string TextField { get; init; } = "text";
}

/// <summary>One unit of ingest work; competing Ingest instances each take some.</summary>
public sealed record FilterShard : PipelineMessage
{
    public required string ShardId { get; init; }
    public required BlobReference Source { get; init; }
    public IReadOnlyList<string> Languages { get; init; } = [];
    public string TextField { get; init; } = "text";
}

/// <summary>A shard went through the ingest steps; kept + rejected + quarantined = read.</summary>
public sealed record ShardFiltered : PipelineMessage
{
    public required string ShardId { get; init; }
    public required BlobReference Source { get; init; }
    public required BlobReference Kept { get; init; }
    public BlobReference? Rejected { get; init; }
    public BlobReference? Quarantined { get; init; }
    public required long DocumentsRead { get; init; }
    public required long DocumentsKept { get; init; }
    public required long DocumentsRejected { get; init; }
    public required long DocumentsQuarantined { get; init; }
}

/// <summary>Every shard of an ingest request is done; the corpus report is written.</summary>
public sealed record CorpusIngested : PipelineMessage
{
    public required IReadOnlyList<BlobReference> KeptShards { get; init; }
    public BlobReference? Report { get; init; }
    public required long DocumentsRead { get; init; }
    public required long DocumentsKept { get; init; }
}
