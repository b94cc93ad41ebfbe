using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Pipeline.BlobStorage;
using Pipeline.Contracts.Storage;

namespace Pipeline.Dedup.Staged;

/// <summary>
/// Reads a JSONL shard (plain or <c>.gz</c>) line by line. Positions count non-blank lines, so every
/// stage that reads the same shard numbers its documents the same way.
/// </summary>
public static class ShardLines
{
    public static async IAsyncEnumerable<string> ReadAsync(IBlobStore store, BlobReference shard, [EnumeratorCancellation] CancellationToken cancellationToken)
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
            await using var decoded = shard.Name.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(stream, CompressionMode.Decompress) : stream;
            using var reader = new StreamReader(decoded, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                if (!string.IsNullOrWhiteSpace(line)) yield return line;
            }
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
