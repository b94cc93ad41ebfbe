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
}
