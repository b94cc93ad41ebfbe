using System.Globalization;
using Pipeline.BlobStorage;

namespace Pipeline.Dedup.Staged;

/// <summary>
/// The persistent index: each run claims the next segment number (first writer of the claim blob
/// wins) and commits it once all its shards are filtered; later runs join only committed segments,
/// so a crashed or unfinished run never makes documents vanish.
/// </summary>
public static class IndexSegments
{
    public static async Task<int> ClaimAsync(IBlobStore store, string container, string index, Guid runId, CancellationToken cancellationToken)
    {
        var segment = 0;
        await foreach (var blob in store.ListAsync(container, DedupLayout.SegmentPrefix(index), cancellationToken))
        {
            if (blob.Name.EndsWith("/claim.json", StringComparison.Ordinal)) segment = Math.Max(segment, SegmentOf(index, blob.Name) + 1);
        }
        for (; segment < DocKey.MaxSegments; segment++)
        {
            var claim = DedupLayout.SegmentClaim(index, segment);
            if (await StageGate.MarkDoneAsync(store, container, claim, new SegmentClaim(runId), cancellationToken)) return segment;
            if ((await store.ReadJsonAsync<SegmentClaim>(container, claim, cancellationToken)).RunId == runId) return segment;
        }
        throw new InvalidOperationException($"Index {index} has no free segment left.");
    }

    public static async Task<IReadOnlyList<int>> CommittedBeforeAsync(IBlobStore store, string container, string index, int segment, CancellationToken cancellationToken)
    {
        var committed = new List<int>();
        await foreach (var blob in store.ListAsync(container, DedupLayout.SegmentPrefix(index), cancellationToken))
        {
            if (!blob.Name.EndsWith("/commit.json", StringComparison.Ordinal)) continue;
            var number = SegmentOf(index, blob.Name);
            if (number < segment) committed.Add(number);
        }
        return committed;
    }

    private static int SegmentOf(string index, string name)
        => int.Parse(name.AsSpan(DedupLayout.SegmentPrefix(index).Length, 6), CultureInfo.InvariantCulture);
}

public sealed record SegmentClaim(Guid RunId);

public sealed record SegmentCommit(Guid RunId, long Documents);
