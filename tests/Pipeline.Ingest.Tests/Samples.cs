using Pipeline.Ingest.Benchmarks;
using Pipeline.Ingest.Reading;

namespace Pipeline.Ingest.Tests;

/// <summary>The bundled demo data, copied next to the test assembly.</summary>
internal static class Samples
{
    public static string Corpus(string name) => Path.Combine(AppContext.BaseDirectory, "samples", "corpus", name);
    public static string Sft(string name) => Path.Combine(AppContext.BaseDirectory, "samples", "sft", name);

    /// <summary>Every document of the bundled corpus, files in ordinal order (the order the golden digest was recorded in).</summary>
    public static Task<List<RawDocument>> LoadCorpusAsync() =>
        IngestBenchmark.LoadAsync(Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "samples", "corpus"), "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal));

    /// <summary>The corpus followed by <paramref name="stressVariants"/> seeded stress variants of it (see <see cref="Chain.StressDocuments"/>).</summary>
    public static async Task<List<RawDocument>> LoadCorpusWithStressAsync(int stressVariants, int seed)
    {
        var corpus = await LoadCorpusAsync();
        return [.. corpus, .. Chain.StressDocuments.From(corpus, stressVariants, seed)];
    }
}
