namespace Pipeline.Ingest.Tests;

/// <summary>The bundled demo data, copied next to the test assembly.</summary>
internal static class Samples
{
    public static string Corpus(string name) => Path.Combine(AppContext.BaseDirectory, "samples", "corpus", name);
    public static string Sft(string name) => Path.Combine(AppContext.BaseDirectory, "samples", "sft", name);
}
