using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace Pipeline.Dedup.Benchmarks;

/// <summary>
/// Grows real documents into a benchmark corpus of a target size, written as plain JSONL shards.
/// Replica 0 is the original; every fifth replica is a light edit (a near duplicate: one word
/// dropped, a tag added), the others replace 30 % of the words with words of the same document
/// (Jaccard about 0.2: distinct documents with realistic word statistics). Seeded, so reruns build
/// the same corpus.
/// </summary>
public static class BenchCorpus
{
    public static IReadOnlyList<string> ReadTexts(IEnumerable<string> files)
    {
        var texts = new List<string>();
        foreach (var file in files)
        {
            using var stream = File.OpenRead(file);
            using var decoded = file.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(stream, CompressionMode.Decompress) : (Stream)stream;
            using var reader = new StreamReader(decoded);
            while (reader.ReadLine() is { } line)
            {
                if (string.IsNullOrWhiteSpace(line)) continue;
                using var document = JsonDocument.Parse(line);
                if (document.RootElement.TryGetProperty("text", out var text) && text.GetString() is { Length: > 0 } t) texts.Add(t);
            }
        }
        return texts;
    }

    /// <returns>The shard files and the total bytes written.</returns>
    public static (IReadOnlyList<string> Shards, long Bytes) Write(IReadOnlyList<string> originals, string folder, long targetBytes, int shards)
    {
        Directory.CreateDirectory(folder);
        var paths = Enumerable.Range(0, shards).Select(i => Path.Combine(folder, $"bench-{i:D3}.jsonl")).ToList();
        var writers = paths.Select(p => new StreamWriter(p, false, new UTF8Encoding(false), 1 << 20)).ToList();
        long bytes = 0;
        var written = 0;
        try
        {
            for (var replica = 0; bytes < targetBytes; replica++)
            {
                for (var d = 0; d < originals.Count && bytes < targetBytes; d++)
                {
                    var text = Variant(originals[d], replica, d);
                    var line = JsonSerializer.Serialize(new { id = $"r{replica}-d{d}", text, meta = new { replica, source = d } });
                    writers[written++ % shards].WriteLine(line);
                    bytes += Encoding.UTF8.GetByteCount(line) + 1;
                }
            }
        }
        finally
        {
            foreach (var writer in writers) writer.Dispose();
        }
        return (paths, bytes);
    }

    private static string Variant(string text, int replica, int document)
    {
        if (replica == 0) return text;
        var random = new Random(replica * 100_003 + document);
        var words = text.Split(' ');
        if (replica % 5 == 0)
        {
            var drop = random.Next(words.Length);
            return $"[{replica}] " + string.Join(' ', words.Where((_, i) => i != drop));
        }
        for (var i = 0; i < words.Length; i++)
        {
            if (random.NextDouble() < 0.3) words[i] = words[random.Next(words.Length)];
        }
        return string.Join(' ', words);
    }
}
