using System.Runtime.CompilerServices;
using Pipeline.BlobStorage;
using Pipeline.Contracts.Storage;

namespace Pipeline.ServiceDefaults.Polling;

/// <summary>
/// The batch folders of a landing area that are ready to land (<see cref="LandingBatch.IsReady"/>) and
/// carry no landed marker yet, each with its files. A poll lists the folders (one entry per batch) and
/// the markers, and the files of unlanded batches only: listing every file of every batch ever uploaded
/// made each poll grow with the landing area's history.
/// </summary>
public static class UnlandedBatches
{
    /// <summary>A landed batch's marker: <paramref name="markerPrefix"/> + batch + ".json".</summary>
    public static string Marker(string markerPrefix, string batch) => $"{markerPrefix}{batch}.json";

    /// <param name="folder">The landing folder: empty, or ending in '/'. Batches are the folders right under it.</param>
    /// <param name="markerPrefix">Where the landed batches' markers lie (<see cref="Marker"/>).</param>
    /// <param name="quiet">How long a batch without a ready file must go unchanged.</param>
    public static async IAsyncEnumerable<(string Batch, List<BlobItem> Files)> ReadyAsync(
        IBlobStore store, string container, string folder, string markerContainer, string markerPrefix, TimeSpan quiet, TimeProvider clock,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var landed = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var marker in store.ListAsync(markerContainer, markerPrefix, cancellationToken))
        {
            var rest = marker.Name[markerPrefix.Length..];
            if (rest.EndsWith(".json", StringComparison.Ordinal) && !rest.Contains('/')) landed.Add(rest[..^".json".Length]);
        }
        await foreach (var batchFolder in store.ListFoldersAsync(container, folder, cancellationToken))
        {
            var batch = batchFolder[folder.Length..^1];
            if (landed.Contains(batch)) continue;
            var files = await store.ListAsync(container, batchFolder, cancellationToken).ToListAsync(cancellationToken);
            if (files.Count == 0 || !LandingBatch.IsReady(files, quiet, clock.GetUtcNow())) continue;
            // Checked again just before the caller lands it: another watcher may have landed it since the markers were listed.
            if (await store.GetAsync(markerContainer, Marker(markerPrefix, batch), cancellationToken) is not null) continue;
            yield return (batch, files);
        }
    }
}
