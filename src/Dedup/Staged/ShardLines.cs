using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Pipeline.BlobStorage;
using Pipeline.Contracts.Storage;

namespace Pipeline.Dedup.Staged;

/// <summary>
/// Reads a JSONL shard (plain or <c>.gz</c>) line by line, as raw UTF-8 (lines end at <c>\n</c>, a
/// trailing <c>\r</c> and a leading byte-order mark are dropped). Positions count non-blank lines,
/// so every stage that reads the same shard numbers its documents the same way.
/// </summary>
public static class ShardLines
{
    public static async IAsyncEnumerable<string> ReadAsync(IBlobStore store, BlobReference shard, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var line in ReadUtf8Async(store, shard, cancellationToken)) yield return Encoding.UTF8.GetString(line.Span);
    }

    /// <summary>The shard's non-blank lines as UTF-8; each line's memory is valid until the next one is asked for.</summary>
    public static async IAsyncEnumerable<ReadOnlyMemory<byte>> ReadUtf8Async(IBlobStore store, BlobReference shard, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Stream stream;
        try
        {
            stream = await store.OpenReadAsync(shard, cancellationToken);
        }
        catch (BlobNotFoundException ex)
        {
            throw new InvalidDataException($"Shard {shard} does not exist.", ex);
        }
        await using (stream)
        {
            // Ingest writes .jsonl.gz by default and .jsonl.zst when configured; plain .jsonl is read as it is.
            await using var decoded = shard.Name.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(stream, CompressionMode.Decompress)
                : shard.Name.EndsWith(".zst", StringComparison.OrdinalIgnoreCase) ? new ZstdSharp.DecompressionStream(stream)
                : stream;
            var buffer = new byte[1 << 16];
            int start = 0, end = 0;
            bool eof = false, bomChecked = false;
            while (true)
            {
                if (!bomChecked && (end - start >= 3 || eof))
                {
                    if (buffer.AsSpan(start, end - start).StartsWith("\uFEFF"u8)) start += 3;
                    bomChecked = true;
                }
                var newline = bomChecked ? buffer.AsSpan(start, end - start).IndexOf((byte)'\n') : -1;
                if (newline < 0)
                {
                    if (eof)
                    {
                        if (end > start && !IsBlank(buffer.AsSpan(start, end - start))) yield return TrimCarriageReturn(buffer.AsMemory(start, end - start));
                        yield break;
                    }
                    if (start > 0)
                    {
                        buffer.AsSpan(start, end - start).CopyTo(buffer);
                        end -= start;
                        start = 0;
                    }
                    if (end == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2);
                    var read = await decoded.ReadAsync(buffer.AsMemory(end), cancellationToken);
                    if (read == 0) eof = true;
                    end += read;
                    continue;
                }
                var line = buffer.AsMemory(start, newline);
                start += newline + 1;
                if (!IsBlank(line.Span)) yield return TrimCarriageReturn(line);
            }
        }
    }

    private static ReadOnlyMemory<byte> TrimCarriageReturn(ReadOnlyMemory<byte> line) => line.Span is [.., (byte)'\r'] ? line[..^1] : line;

    private static bool IsBlank(ReadOnlySpan<byte> line)
    {
        var first = line.IndexOfAnyExcept(" \t\r\n\v\f"u8);
        return first < 0 || (line[first] >= 0x80 && string.IsNullOrWhiteSpace(Encoding.UTF8.GetString(line)));
    }

    /// <summary>
    /// Appends the <c>text</c> of a UTF-8 document line, unescaped, to <paramref name="arena"/> at
    /// <paramref name="offset"/> (the arena grows when needed) and returns its length: no string is
    /// built. The whole line is still validated as one JSON object.
    /// </summary>
    public static int CopyText(ReadOnlySpan<byte> line, BlobReference shard, int position, ref char[] arena, int offset)
    {
        try
        {
            var reader = new Utf8JsonReader(line);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) throw new InvalidDataException("not a JSON object");
            var length = -1;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isText = reader.ValueTextEquals("text"u8);
                reader.Read();
                if (isText)
                {
                    if (reader.TokenType != JsonTokenType.String) { length = -1; continue; }
                    if (arena.Length < offset + reader.ValueSpan.Length) Array.Resize(ref arena, Math.Max(offset + reader.ValueSpan.Length, arena.Length * 2));
                    length = reader.CopyString(arena.AsSpan(offset));
                }
                else reader.Skip();
            }
            while (reader.Read()) { }
            return length >= 0 ? length : throw new InvalidDataException("no string field 'text'");
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException or InvalidOperationException)
        {
            throw new InvalidDataException($"Shard {shard} document {position}: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// The <c>text</c> (and, when asked, the <c>id</c>) of a UTF-8 document line, read without
    /// building a document tree; the whole line is still validated as one JSON object.
    /// </summary>
    public static (string? Id, string Text) ParseUtf8(ReadOnlySpan<byte> line, BlobReference shard, int position, bool withId)
    {
        try
        {
            var reader = new Utf8JsonReader(line);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) throw new InvalidDataException("not a JSON object");
            string? text = null, id = null;
            var textIsString = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("text"u8))
                {
                    reader.Read();
                    textIsString = reader.TokenType == JsonTokenType.String;
                    text = textIsString ? reader.GetString() : null;
                    reader.Skip();
                }
                else if (withId && reader.ValueTextEquals("id"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.String) id = reader.GetString();
                    else
                    {
                        var from = (int)reader.TokenStartIndex;
                        reader.Skip();
                        var to = reader.TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray ? (int)reader.BytesConsumed : from + reader.ValueSpan.Length;
                        id = Encoding.UTF8.GetString(line[from..to]);
                    }
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
            while (reader.Read()) { }
            if (!textIsString) throw new InvalidDataException("no string field 'text'");
            return (withId ? id ?? $"{shard.Name}#{position}" : null, text!);
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException or InvalidOperationException)
        {
            throw new InvalidDataException($"Shard {shard} document {position}: {ex.Message}", ex);
        }
    }

    /// <summary>The <c>id</c> and <c>text</c> of a document line; anything else in the record is left alone.</summary>
    public static (string Id, string Text) Parse(string line, BlobReference shard, int position)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            var text = root.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : throw new InvalidDataException("no string field 'text'");
            var id = root.TryGetProperty("id", out var i) ? i.ValueKind == JsonValueKind.String ? i.GetString()! : i.GetRawText() : $"{shard.Name}#{position}";
            return (id, text);
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException or InvalidOperationException)
        {
            throw new InvalidDataException($"Shard {shard} document {position}: {ex.Message}", ex);
        }
    }
}
