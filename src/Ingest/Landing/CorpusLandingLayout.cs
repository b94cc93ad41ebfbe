using System.Security.Cryptography;
using System.Text;
using Pipeline.ServiceDefaults.Polling;

namespace Pipeline.Ingest.Landing;

/// <summary>Names in the corpus landing area, and the markers of batches already landed.</summary>
public static class CorpusLandingLayout
{
    /// <summary>A file of this name in a batch folder says the batch is complete (no need to wait for it to go quiet).</summary>
    public const string ReadyMarker = LandingBatch.ReadyMarker;

    /// <summary>The prefix as a folder: empty, or ending in one '/'.</summary>
    public static string Folder(string prefix) => prefix.Length == 0 ? "" : prefix.TrimEnd('/') + "/";

    /// <summary>"b1" for "landing/b1/part-0.jsonl" under "landing/"; null for a file right under the prefix (in no batch).</summary>
    public static string? BatchOf(string name, string folder)
    {
        if (!name.StartsWith(folder, StringComparison.Ordinal)) return null;
        var slash = name.IndexOf('/', folder.Length);
        return slash > folder.Length ? name[folder.Length..slash] : null;
    }

    /// <summary>Marker, in the output container, of a batch that was announced.</summary>
    public static string LandedMarker(string container, string batchPrefix) => $"landed/{container}/{batchPrefix.TrimEnd('/')}.json";

    /// <summary>
    /// The run of a batch, the same every time it is computed: a watcher that announces a batch twice
    /// (it stopped before writing the marker, or two watchers met) names one run, whose plan is created
    /// once, so the batch is ingested once.
    /// </summary>
    public static Guid RunIdOf(string container, string batchPrefix) =>
        new(SHA256.HashData(Encoding.UTF8.GetBytes($"corpus-landing:{container}/{batchPrefix}")).AsSpan(0, 16));
}
