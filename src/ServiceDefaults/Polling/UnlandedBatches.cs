using System.Runtime.CompilerServices;
using Pipeline.BlobStorage;
using Pipeline.Contracts.Storage;

namespace Pipeline.ServiceDefaults.Polling;

/// <summary>
/// The batch folders of a landing area that carry no landed marker yet, each with its files. A poll
/// lists the folders (one entry per batch) and the markers, and the files of unlanded batches only:
/// listing every file of every batch ever uploaded made each poll grow with the landing area's history.
/// </summary>
public static class UnlandedBatches
{
    /// <param name="folder">The landing folder: empty, or ending in '/'. Batches are the folders right under it.</param>
    /// <param name="markerPrefix">Where a landed batch's marker is <c>markerPrefix + batch + ".json"</c>.</param>
    public static async IAsyncEnumerable<(string Batch, List<BlobItem> Files)> ListAsync(
        IBlobStore store, string container, string folder, string markerContainer, string markerPrefix,
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
            if (files.Count > 0) yield return (batch, files);
        }
    }
}
