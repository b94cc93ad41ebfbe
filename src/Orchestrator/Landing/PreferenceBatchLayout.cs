using Pipeline.ServiceDefaults.Polling;

namespace Pipeline.Orchestrator.Landing;

/// <summary>
/// Blob layout of preference batches: users upload to <c>incoming/BATCH/*.jsonl</c> (then optionally an
/// empty <c>incoming/BATCH/_READY</c>); valid lines go to <c>accepted/BATCH/</c>, invalid ones with
/// their problems to <c>rejected/BATCH/</c>.
/// </summary>
public static class PreferenceBatchLayout
{
    public const string Incoming = "incoming/";

    public static string FileNameOf(string blobName) => blobName[(blobName.LastIndexOf('/') + 1)..];
    public static string Accepted(string batch, string file) => $"accepted/{batch}/{file}";
    public static string Rejected(string batch, string file) => $"rejected/{batch}/{file}.problems.jsonl";
    public const string LandedMarkersPrefix = "batches/";
    public static string LandedMarker(string batch) => UnlandedBatches.Marker(LandedMarkersPrefix, batch);
}
