using System.Text;
using Pipeline.BlobStorage;
using Pipeline.Contracts.Storage;
using Pipeline.Dedup.Core;

namespace Pipeline.Dedup.Staged;

/// <summary>
/// After the last shard is filtered: one removed list for the run, the index segment committed (now
/// later runs see it), and <c>result.json</c> — the run's summary, written once.
/// </summary>
public sealed class FinishStage(IBlobStore store)
{
    /// <returns>The result and whether this caller wrote it first.</returns>
    public async Task<(DedupRunResult Result, bool First)> RunAsync(string container, string job, JobManifest manifest, CancellationToken cancellationToken)
    {
        var shards = new List<ShardResult>();
        var removed = new StringBuilder();
        for (var shard = 0; shard < manifest.Shards.Count; shard++)
        {
            var result = await store.ReadJsonAsync<ShardResult>(container, DedupLayout.FilterDone(job, shard), cancellationToken);
            shards.Add(result);
            removed.Append(Encoding.UTF8.GetString(await store.ReadBytesAsync(container, result.Removed.Name, cancellationToken)));
        }
        var removedList = await store.WriteTextAsync(container, DedupLayout.Removed(job), removed.ToString(), BlobWriteMode.Overwrite, cancellationToken);
        var clusters = await store.ReadJsonAsync<RunClusters>(container, DedupLayout.Clusters(job), cancellationToken);
        await store.WriteJsonAsync(container, DedupLayout.SegmentCommit(manifest.IndexPrefix, manifest.Segment),
            new SegmentCommit(manifest.RunId, shards.Sum(s => s.DocumentsOut)), BlobWriteMode.Overwrite, cancellationToken);

        var run = new DedupRunResult(manifest.RunId, shards.Select(s => s.Kept).ToList(), removedList, clusters.Summary, clusters.SCurve, manifest.Bands, manifest.Rows);
        var first = await StageGate.MarkDoneAsync(store, container, DedupLayout.Result(job), run, cancellationToken);
        return (first ? run : await store.ReadJsonAsync<DedupRunResult>(container, DedupLayout.Result(job), cancellationToken), first);
    }
}

/// <summary><c>result.json</c> of a run: where the kept shards and removed list are, and what was found.</summary>
public sealed record DedupRunResult(Guid RunId, IReadOnlyList<BlobReference> KeptShards, BlobReference RemovedList, ClusterSummary Summary, IReadOnlyList<SCurvePoint> SCurve, int Bands, int Rows);
