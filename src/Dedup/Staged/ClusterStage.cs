using Microsoft.Extensions.Logging;
using Pipeline.BlobStorage;
using Pipeline.Dedup.Core;

namespace Pipeline.Dedup.Staged;

/// <summary>
/// Stage 3, once per run: union-find over every candidate pair. Nodes are this run's documents plus
/// the earlier-run documents that some pair names (history keys sort first, so a cluster touching
/// history keeps the historic copy). Memory: 5 bytes per document of the run (parent + exact flag)
/// plus the distinct history keys named by pairs; pair files are streamed.
/// </summary>
public sealed class ClusterStage(IBlobStore store, ILogger<ClusterStage> logger)
{
    public async Task<RunClusters> RunAsync(string container, string job, JobManifest manifest, CancellationToken cancellationToken)
    {
        var counts = new int[manifest.Shards.Count];
        for (var shard = 0; shard < counts.Length; shard++)
            counts[shard] = (await store.ReadJsonAsync<SignaturesDone>(container, DedupLayout.SignaturesDone(job, shard), cancellationToken)).Documents;

        var history = new SortedSet<ulong>();
        await foreach (var pair in PairsAsync(container, job, manifest, cancellationToken))
        {
            if (DocKey.Segment(pair.Earlier) != manifest.Segment) history.Add(pair.Earlier);
        }
        var historyIndex = new Dictionary<ulong, int>();
        foreach (var key in history) historyIndex[key] = historyIndex.Count;
        var offsets = new long[counts.Length + 1];
        for (var shard = 0; shard < counts.Length; shard++) offsets[shard + 1] = offsets[shard] + counts[shard];
        var total = historyIndex.Count + offsets[^1];
        if (total > int.MaxValue) throw new InvalidOperationException($"A run is limited to {int.MaxValue} documents; split the request.");

        int NodeOf(ulong key) => DocKey.Segment(key) == manifest.Segment
            ? (int)(historyIndex.Count + offsets[DocKey.Shard(key)] + DocKey.Position(key))
            : historyIndex[key];

        var sets = new UnionFind((int)total);
        var exact = new bool[total];
        await foreach (var pair in PairsAsync(container, job, manifest, cancellationToken))
        {
            var later = NodeOf(pair.Later);
            sets.Union(NodeOf(pair.Earlier), later);
            if (pair.Exact) exact[later] = true;
        }

        var historyKeys = history.ToArray();
        var decisions = new List<DedupDecision>((int)offsets[^1]);
        for (var shard = 0; shard < counts.Length; shard++)
        {
            var removals = new List<Removal>();
            for (var position = 0; position < counts[shard]; position++)
            {
                var node = (int)(historyIndex.Count + offsets[shard] + position);
                var root = sets.Find(node);
                if (root == node)
                {
                    decisions.Add(new DedupDecision(node, true, root, DuplicateKind.None));
                    continue;
                }
                var kind = exact[node] ? DuplicateKind.Exact : DuplicateKind.Near;
                decisions.Add(new DedupDecision(node, false, root, kind));
                var clusterKey = root < historyKeys.Length ? historyKeys[root] : KeyOfCurrent(root - historyKeys.Length, offsets, manifest.Segment);
                removals.Add(new Removal(position, clusterKey, kind));
            }
            await BinaryBlob.WriteAsync(store, container, DedupLayout.Removals(job, shard), writer => Removal.Write(writer, removals), cancellationToken);
        }

        var summary = Summarise(decisions, sets, historyKeys.Length);
        var clusters = new RunClusters(summary, manifest.Lsh().SCurve(), manifest.Bands, manifest.Rows);
        await store.WriteJsonAsync(container, DedupLayout.Clusters(job), clusters, BlobWriteMode.Overwrite, cancellationToken);
        logger.LogInformation("Run {RunId}: {Documents} documents, {Exact} exact and {Near} near duplicates in {Clusters} clusters ({HistoryDocuments} earlier documents involved)",
            manifest.RunId, summary.DocumentsIn, summary.ExactDuplicates, summary.NearDuplicates, summary.Clusters, historyKeys.Length);
        return clusters;
    }

    /// <summary>Cluster sizes count historic members too, so a cluster of one old and one new copy is size 2.</summary>
    private static ClusterSummary Summarise(List<DedupDecision> decisions, UnionFind sets, int historyNodes)
        => ClusterSummary.From(decisions, Enumerable.Range(0, historyNodes).Select(sets.Find));

    private static ulong KeyOfCurrent(long index, long[] offsets, int segment)
    {
        var shard = Array.BinarySearch(offsets, index);
        shard = shard >= 0 ? shard : ~shard - 1;
        while (shard + 1 < offsets.Length && offsets[shard + 1] == index) shard++;
        return DocKey.Of(segment, shard, (int)(index - offsets[shard]));
    }

    private async IAsyncEnumerable<CandidatePair> PairsAsync(string container, string job, JobManifest manifest, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (var range = 0; range < manifest.BandRanges; range++)
        {
            using var reader = await BinaryBlob.OpenAsync(store, container, DedupLayout.Candidates(job, range), cancellationToken);
            foreach (var pair in CandidatePair.Read(reader)) yield return pair;
        }
    }
}

/// <summary>What stage 3 decided, as <c>clusters.json</c>: counts, cluster sizes and the LSH curve used.</summary>
public sealed record RunClusters(ClusterSummary Summary, IReadOnlyList<SCurvePoint> SCurve, int Bands, int Rows);

/// <summary>One removed document of a shard: its line position, the key of the copy its cluster keeps, and why.</summary>
public readonly record struct Removal(int Position, ulong ClusterKey, DuplicateKind Kind)
{
    public static void Write(BinaryWriter writer, IReadOnlyCollection<Removal> removals)
    {
        writer.Write(removals.Count);
        foreach (var r in removals)
        {
            writer.Write(r.Position);
            writer.Write(r.ClusterKey);
            writer.Write((byte)r.Kind);
        }
    }

    public static IEnumerable<Removal> Read(BinaryReader reader)
    {
        var count = reader.ReadInt32();
        for (var i = 0; i < count; i++) yield return new Removal(reader.ReadInt32(), reader.ReadUInt64(), (DuplicateKind)reader.ReadByte());
    }
}
