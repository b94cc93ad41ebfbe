using Pipeline.BlobStorage;

namespace Pipeline.ServiceDefaults.Polling;

/// <summary>
/// A batch of files uploaded into a landing folder (preference pairs, raw text), as the landing watchers
/// see it: ready once it holds a <see cref="ReadyMarker"/> file, or once none of its files has changed
/// for the quiet time (an upload still running keeps changing it).
/// </summary>
public static class LandingBatch
{
    /// <summary>A file of this name in a batch folder says the batch is complete.</summary>
    public const string ReadyMarker = "_READY";

    public static bool IsReadyMarker(string blobName) =>
        blobName == ReadyMarker || blobName.EndsWith("/" + ReadyMarker, StringComparison.Ordinal);

    /// <param name="files">The batch's files; at least one.</param>
    public static bool IsReady(IReadOnlyCollection<BlobItem> files, TimeSpan quiet, DateTimeOffset now) =>
        files.Any(f => IsReadyMarker(f.Name)) || now - files.Max(f => f.LastModified) >= quiet;
}
