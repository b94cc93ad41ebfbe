namespace Pipeline.Ingest.Reading;

/// <summary>Picks the reader and decompressor for a file from its name.</summary>
public static class DocumentReader
{
    public static bool IsSupported(string name) => SourceFormat.FromName(name) is not null;

    public static IAsyncEnumerable<ReadItem> ReadAsync(Stream stream, string name, ReaderOptions options, CancellationToken cancellationToken = default)
    {
        var format = SourceFormat.FromName(name) ?? throw new NotSupportedException($"'{name}' is not a .jsonl, .txt or .parquet file (optionally .gz or .zst).");
        var input = Decompression.Wrap(stream, format.Compression);
        var stem = StemOf(name);
        return format.Container switch
        {
            SourceContainerFormat.Text => TextDocumentReader.ReadAsync(input, stem, options, cancellationToken),
            SourceContainerFormat.Parquet => ParquetDocumentReader.ReadAsync(input, stem, options, cancellationToken),
            _ => JsonlDocumentReader.ReadAsync(input, stem, options, cancellationToken),
        };
    }

    /// <summary>File name without folders and extensions: "a/b/brown.jsonl.gz" gives "brown".</summary>
    public static string StemOf(string name)
    {
        var file = name[(name.LastIndexOf('/') + 1)..];
        var dot = file.IndexOf('.');
        return dot > 0 ? file[..dot] : file;
    }
}
