using System.Text.Json;

namespace Pipeline.Dedup.Tests.Support;

/// <summary>Real prose for tests: 60 Brown Corpus texts (see Data/LICENCE.md).</summary>
internal static class SampleData
{
    public static string Path(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "Data", name);

    public static IReadOnlyList<(string Id, string Text)> Brown()
        => File.ReadLines(Path("brown-sample.jsonl"))
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Select(e => (e.GetProperty("id").GetString()!, e.GetProperty("text").GetString()!))
            .ToList();
}
