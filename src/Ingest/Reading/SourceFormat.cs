namespace Pipeline.Ingest.Reading;

public enum SourceContainerFormat { Jsonl, Text, Parquet }

public enum SourceCompression { None, Gzip, Zstd }

/// <summary>What a file holds, from its name: <c>x.jsonl</c>, <c>x.txt.gz</c>, <c>x.parquet</c>, <c>x.jsonl.zst</c>.</summary>
public sealed record SourceFormat(SourceContainerFormat Container, SourceCompression Compression)
{
    public static SourceFormat? FromName(string name)
    {
        var lower = name.ToLowerInvariant();
        var compression = SourceCompression.None;
        if (lower.EndsWith(".gz", StringComparison.Ordinal)) { compression = SourceCompression.Gzip; lower = lower[..^3]; }
        else if (lower.EndsWith(".zst", StringComparison.Ordinal)) { compression = SourceCompression.Zstd; lower = lower[..^4]; }
        var extension = Path.GetExtension(lower);
        SourceContainerFormat? container = extension switch
        {
            ".jsonl" or ".ndjson" or ".json" => SourceContainerFormat.Jsonl,
            ".txt" or ".text" or ".eml" or ".mbox" => SourceContainerFormat.Text,
            ".parquet" => SourceContainerFormat.Parquet,
            _ => null,
        };
        return container is null ? null : new SourceFormat(container.Value, compression);
    }
}
