using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Pipeline.Ingest.Reading;

/// <summary>
/// Streams <c>{id, text, source?, meta?}</c> lines. Every bad line (too long, invalid UTF-8, not JSON,
/// wrong types, no text) becomes a quarantine item with its line number; the lines after it are still read.
/// A stream that breaks (truncated gzip or zstd) ends with one quarantine item for the broken tail.
/// </summary>
internal static class JsonlDocumentReader
{
    public static async IAsyncEnumerable<ReadItem> ReadAsync(Stream stream, string fileStem, ReaderOptions options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var lines = new BoundedLineReader(stream, options.MaxLineBytes);
        while (true)
        {
            LineRead? next;
            string? broken = null;
            try
            {
                next = await lines.ReadLineAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException or IOException or ZstdSharp.ZstdException)
            {
                next = null;
                broken = ex.Message;
            }
            if (broken is not null)
            {
                yield return ReadItem.Quarantine(lines.LineNumber + 1, $"stream is corrupt or truncated after line {lines.LineNumber}: {broken}");
                yield break;
            }
            if (next is not { } line) yield break;
            if (line.Overflow)
            {
                yield return ReadItem.Quarantine(line.Number, $"line of {line.Length} bytes exceeds the {options.MaxLineBytes}-byte limit");
                continue;
            }
            if (IsBlank(line.Bytes.Span)) continue;
            yield return Parse(line, fileStem, options.TextField);
        }
    }

    private static bool IsBlank(ReadOnlySpan<byte> bytes) => bytes.Trim(" \t\r"u8).IsEmpty;

    internal static ReadItem Parse(LineRead line, string fileStem, string textField)
    {
        var bytes = line.Bytes.Span;
        if (!Utf8.IsValid(bytes))
        {
            var offset = FirstInvalidUtf8(bytes);
            return ReadItem.Quarantine(line.Number, $"invalid UTF-8 at byte {offset}", Snippet(bytes));
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line.Bytes);
        }
        catch (JsonException ex)
        {
            var reason = line.MissingNewline ? $"malformed JSON (last line has no newline; the file may be truncated): {ex.Message}" : $"malformed JSON: {ex.Message}";
            return ReadItem.Quarantine(line.Number, reason, Snippet(bytes));
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return ReadItem.Quarantine(line.Number, $"expected a JSON object, found {root.ValueKind}", Snippet(bytes));
            if (!root.TryGetProperty(textField, out var text) || text.ValueKind == JsonValueKind.Null)
                return ReadItem.Quarantine(line.Number, $"missing text field '{textField}'", Snippet(bytes));
            if (text.ValueKind != JsonValueKind.String)
                return ReadItem.Quarantine(line.Number, $"text field '{textField}' must be a string, found {text.ValueKind}", Snippet(bytes));
            string id;
            if (!root.TryGetProperty("id", out var idElement) || idElement.ValueKind == JsonValueKind.Null) id = $"{fileStem}:{line.Number}";
            else if (idElement.ValueKind == JsonValueKind.String) id = idElement.GetString()!;
            else if (idElement.ValueKind == JsonValueKind.Number) id = idElement.GetRawText();
            else return ReadItem.Quarantine(line.Number, $"id must be a string or number, found {idElement.ValueKind}", Snippet(bytes));
            string? source = null;
            if (root.TryGetProperty("source", out var sourceElement) && sourceElement.ValueKind != JsonValueKind.Null)
            {
                if (sourceElement.ValueKind != JsonValueKind.String)
                    return ReadItem.Quarantine(line.Number, $"source must be a string, found {sourceElement.ValueKind}", Snippet(bytes));
                source = sourceElement.GetString();
            }
            string? meta = null;
            if (root.TryGetProperty("meta", out var metaElement) && metaElement.ValueKind != JsonValueKind.Null)
            {
                if (metaElement.ValueKind != JsonValueKind.Object)
                    return ReadItem.Quarantine(line.Number, $"meta must be an object, found {metaElement.ValueKind}", Snippet(bytes));
                meta = metaElement.GetRawText();
            }
            return ReadItem.Ok(line.Number, new RawDocument(id, text.GetString()!, source, meta));
        }
    }

    private static int FirstInvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        var offset = 0;
        while (offset < bytes.Length)
        {
            var status = System.Text.Rune.DecodeFromUtf8(bytes[offset..], out _, out var consumed);
            if (status != System.Buffers.OperationStatus.Done) return offset;
            offset += consumed;
        }
        return offset;
    }

    /// <summary>The start of a bad line, for the quarantine file (invalid bytes replaced so the quarantine stays valid JSON).</summary>
    internal static string Snippet(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes[..Math.Min(bytes.Length, 200)]);
}
