namespace Pipeline.Ingest;

/// <summary>How the ingest stage compresses the shards it writes (<see cref="IngestOptions.OutputCompression"/>).</summary>
public enum ShardCompression
{
    /// <summary><c>.jsonl.gz</c>: what every tool reads.</summary>
    Gzip,
    /// <summary><c>.jsonl.zst</c>: smaller, and faster to write and read.</summary>
    Zstd,
}
