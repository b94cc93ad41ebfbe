namespace Pipeline.Ingest.Reading;

/// <summary>A document as read from a source file, before any step ran; <see cref="MetaJson"/> is the input's own meta object, kept verbatim.</summary>
public sealed record RawDocument(string Id, string Text, string? Source, string? MetaJson);

/// <summary>
/// One record of a source file: a document, or a quarantine entry naming why it could not be read.
/// Line is 1-based (the row for Parquet, 1 for a .txt file).
/// </summary>
public sealed record ReadItem(long Line, RawDocument? Document, string? QuarantineReason, string? Snippet = null)
{
    public static ReadItem Ok(long line, RawDocument document) => new(line, document, null);
    public static ReadItem Quarantine(long line, string reason, string? snippet = null) => new(line, null, reason, snippet);
}
