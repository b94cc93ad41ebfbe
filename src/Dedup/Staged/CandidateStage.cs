using Microsoft.Extensions.Logging;
using Pipeline.BlobStorage;
using Pipeline.Dedup.Core;

namespace Pipeline.Dedup.Staged;

/// <summary>
/// Stage 2 for one band range: reads every shard's signatures, buckets this range's bands (and the
/// exact hashes this range owns), pairs each bucket member with the bucket's first (smallest key)
/// member, and joins the buckets of earlier runs from the persisted index by streaming them past the
/// sorted current entries. Memory: 16 bytes per document per band in the range, plus 16 bytes per
/// document for the exact hashes the range owns (1/ranges of them) — history is never held.
/// </summary>
public sealed class CandidateStage(IBlobStore store, ILogger<CandidateStage> logger)
{
    public async Task<int> RunAsync(string container, string job, JobManifest manifest, int range, CancellationToken cancellationToken)
    {
        var (first, end) = manifest.BandsOf(range);
        var hasher = new BandHasher(manifest.Lsh());
        var bands = new List<BucketEntry>();
        var exact = new List<BucketEntry>();
        for (var shard = 0; shard < manifest.Shards.Count; shard++)
        {
            using var reader = await BinaryBlob.OpenAsync(store, container, DedupLayout.Signatures(job, shard), cancellationToken);
            foreach (var record in SignatureFile.Read(reader))
            {
                var key = DocKey.Of(manifest.Segment, shard, record.Position);
                if (BucketEntry.ExactRange(record.ContentHash, manifest.BandRanges) == range) exact.Add(new BucketEntry(BucketEntry.ExactBucket(record.ContentHash), key));
                if (record.IsEmpty) continue;
                for (var band = first; band < end; band++) bands.Add(new BucketEntry(hasher.Hash(record.Signature, band), key));
            }
        }
        bands.Sort();
        exact.Sort();

        var pairs = new List<CandidatePair>();
        PairWithinRun(exact, isExact: true, pairs);
        PairWithinRun(bands, isExact: false, pairs);
        var history = await JoinHistoryAsync(container, manifest, range, exact, bands, pairs, cancellationToken);

        await BinaryBlob.WriteAsync(store, container, DedupLayout.Candidates(job, range), writer => CandidatePair.Write(writer, pairs), cancellationToken);
        logger.LogInformation("Band range {BandRange} (bands {FirstBand}-{LastBand}): {Pairs} candidate pairs, {HistoryPairs} against {Segments} earlier segments",
            range, first, end - 1, pairs.Count, history.Pairs, history.Segments);
        return pairs.Count;
    }

    private static void PairWithinRun(List<BucketEntry> sorted, bool isExact, List<CandidatePair> pairs)
    {
        for (var i = 1; i < sorted.Count; i++)
        {
            if (sorted[i].Hash != sorted[i - 1].Hash) continue;
            var start = i - 1;
            while (start > 0 && sorted[start - 1].Hash == sorted[i].Hash) start--;
            pairs.Add(new CandidatePair(sorted[start].Key, sorted[i].Key, isExact));
        }
    }

    private async Task<(int Pairs, int Segments)> JoinHistoryAsync(string container, JobManifest manifest, int range, List<BucketEntry> exact, List<BucketEntry> bands, List<CandidatePair> pairs, CancellationToken cancellationToken)
    {
        var before = pairs.Count;
        var segments = await IndexSegments.CommittedBeforeAsync(store, container, manifest.IndexPrefix, manifest.Segment, cancellationToken);
        foreach (var segment in segments)
        {
            var prefix = $"{manifest.IndexPrefix}/segments/{segment:D6}/";
            await foreach (var blob in store.ListAsync(container, prefix, cancellationToken))
            {
                var isExact = blob.Name.StartsWith($"{prefix}exact/r{range:D3}/", StringComparison.Ordinal);
                var isRange = blob.Name.StartsWith($"{prefix}bands/r{range:D3}/", StringComparison.Ordinal);
                if (!isExact && !isRange) continue;
                using var reader = await BinaryBlob.OpenAsync(store, container, blob.Name, cancellationToken);
                foreach (var old in BucketEntry.Read(reader))
                {
                    var current = isExact ? exact : bands;
                    for (var i = LowerBound(current, old.Hash); i < current.Count && current[i].Hash == old.Hash; i++)
                        pairs.Add(new CandidatePair(old.Key, current[i].Key, isExact));
                }
            }
        }
        return (pairs.Count - before, segments.Count);
    }

    private static int LowerBound(List<BucketEntry> sorted, ulong hash)
    {
        int low = 0, high = sorted.Count;
        while (low < high)
        {
            var mid = (low + high) >>> 1;
            if (sorted[mid].Hash < hash) low = mid + 1;
            else high = mid;
        }
        return low;
    }
}

/// <summary>Done marker of stage 2 for one band range.</summary>
public sealed record CandidatesDone(int BandRange, int Pairs);
