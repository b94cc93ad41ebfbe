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

    /// <summary>Marker, in the output container, of a batch that was announced.</summary>
    public static string LandedMarker(string container, string batchPrefix) => $"landed/{container}/{batchPrefix.TrimEnd('/')}.json";

    /// <summary>Where the markers of the batches under <paramref name="folder"/> lie: marker = this + batch + ".json".</summary>
    public static string LandedMarkersPrefix(string container, string folder) => $"landed/{container}/{folder}";

    /// <summary>
    /// The run of a batch, the same every time it is computed: a watcher that announces a batch twice
    /// (it stopped before writing the marker, or two watchers met) names one run, whose plan is created
    /// once, so the batch is ingested once.
    /// </summary>
    public static Guid RunIdOf(string container, string batchPrefix) =>
        new(SHA256.HashData(Encoding.UTF8.GetBytes($"corpus-landing:{container}/{batchPrefix}")).AsSpan(0, 16));
}
