using System.IO.Compression;
using System.Text.Json;

namespace Pipeline.Model.Training;

/// <summary>
/// Reads document texts from corpus JSONL (<c>{"id", "text", "meta"}</c> per line), gzip detected
/// by its magic bytes rather than the file name. A line without a string "text" is an error
/// naming the source and line, since kept shards were validated upstream.
/// </summary>
public static class CorpusDocuments
{
    public static IEnumerable<string> Read(Stream stream, string source)
    {
        var buffered = new BufferedStream(stream);
        Span<byte> magic = stackalloc byte[2];
        var isGzip = false;
        if (buffered.CanSeek)
        {
            var read = buffered.Read(magic);
            isGzip = read == 2 && magic[0] == 0x1F && magic[1] == 0x8B;
            buffered.Seek(0, SeekOrigin.Begin);
        }
        Stream input = isGzip ? new GZipStream(buffered, CompressionMode.Decompress) : buffered;
        return ReadLines(input, source);
    }

    public static IEnumerable<string> ReadFile(string path) => Read(File.OpenRead(path), path);

    private static IEnumerable<string> ReadLines(Stream input, string source)
    {
        using var reader = new StreamReader(input);
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            string? text;
            try
            {
                using var doc = JsonDocument.Parse(line);
                text = doc.RootElement.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            }
            catch (JsonException ex)
            {
                throw new InvalidDataException($"{source}:{lineNumber}: not valid JSON ({ex.Message})", ex);
            }
            if (text is null) throw new InvalidDataException($"{source}:{lineNumber}: no string \"text\" field");
            yield return text;
        }
    }
}
