using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Pipeline.BlobStorage;
using Pipeline.Contracts.Storage;
using Pipeline.Dedup.Core;

namespace Pipeline.Dedup.Staged;

/// <summary>
/// Stage 4 for one shard: copies the kept lines unchanged (same id, text, meta) into a gzip shard,
/// lists the removed ids with their cluster, and writes the kept documents' band and exact buckets
/// into this run's index segment. Memory: the shard's removal list plus, per band range, 16 bytes
/// per kept document of the shard.
/// </summary>
public sealed class FilterStage(IBlobStore store, ILogger<FilterStage> logger)
{
    public async Task<ShardResult> RunAsync(string container, string job, JobManifest manifest, int shard, CancellationToken cancellationToken)
    {
        var source = manifest.Shards[shard];
        Dictionary<int, Removal> removals;
        using (var reader = await BinaryBlob.OpenAsync(store, container, DedupLayout.Removals(job, shard), cancellationToken))
            removals = Removal.Read(reader).ToDictionary(r => r.Position);

        var removedLines = new StringBuilder();
        long documents = 0, exact = 0, near = 0;
        BlobReference kept;
        using (var keptBuffer = new MemoryStream())
        {
            await using (var compressor = new GZipStream(keptBuffer, CompressionLevel.Fastest, leaveOpen: true))
            await using (var gzip = new BufferedStream(compressor, 1 << 16))
            {
                // Kept lines are copied as UTF-8 bytes: never decoded, never re-encoded.
                await foreach (var line in ShardLines.ReadUtf8Async(store, source, cancellationToken))
                {
                    var position = (int)documents++;
                    if (!removals.TryGetValue(position, out var removal))
                    {
                        await gzip.WriteAsync(line, cancellationToken);
                        gzip.WriteByte((byte)'\n');
                        continue;
                    }
                    if (removal.Kind == DuplicateKind.Exact) exact++;
                    else near++;
                    var id = ShardLines.ParseUtf8(line.Span, source, position, withId: true).Id!;
                    removedLines.Append(JsonSerializer.Serialize(new RemovedDocument(id, DocKey.Format(removal.ClusterKey), removal.Kind == DuplicateKind.Exact ? "exact" : "near", source.Name, position), RemovedDocument.Json)).Append('\n');
                }
            }
            keptBuffer.Position = 0;
            kept = await store.WriteAsync(container, DedupLayout.Kept(job, shard), keptBuffer, BlobWriteMode.Overwrite, cancellationToken);
        }
        var removed = await store.WriteTextAsync(container, DedupLayout.RemovedList(job, shard), removedLines.ToString(), BlobWriteMode.Overwrite, cancellationToken);
        await IndexKeptAsync(container, job, manifest, shard, removals, cancellationToken);

        logger.LogInformation("Shard {ShardIndex} ({Shard}) kept {Kept}/{Total}: {Exact} exact and {Near} near duplicates removed",
            shard, source.Name, documents - exact - near, documents, exact, near);
        return new ShardResult(shard, source, kept, removed, documents, documents - exact - near, exact, near);
    }

    private async Task IndexKeptAsync(string container, string job, JobManifest manifest, int shard, Dictionary<int, Removal> removals, CancellationToken cancellationToken)
    {
        var hasher = new BandHasher(manifest.Lsh());
        var bands = Enumerable.Range(0, manifest.BandRanges).Select(_ => new List<BucketEntry>()).ToArray();
        var exact = Enumerable.Range(0, manifest.BandRanges).Select(_ => new List<BucketEntry>()).ToArray();
        using (var reader = await BinaryBlob.OpenAsync(store, container, DedupLayout.Signatures(job, shard), cancellationToken))
        {
            foreach (var record in SignatureFile.Read(reader))
            {
                if (removals.ContainsKey(record.Position)) continue;
                var key = DocKey.Of(manifest.Segment, shard, record.Position);
                exact[BucketEntry.ExactRange(record.ContentHash, manifest.BandRanges)].Add(new BucketEntry(BucketEntry.ExactBucket(record.ContentHash), key));
                if (record.IsEmpty) continue;
                for (var range = 0; range < manifest.BandRanges; range++)
                {
                    var (first, end) = manifest.BandsOf(range);
                    for (var band = first; band < end; band++) bands[range].Add(new BucketEntry(hasher.Hash(record.Signature, band), key));
                }
            }
        }
        for (var range = 0; range < manifest.BandRanges; range++)
        {
            var r = range;
            await BinaryBlob.WriteAsync(store, container, DedupLayout.IndexBands(manifest.IndexPrefix, manifest.Segment, r, shard), w => BucketEntry.Write(w, bands[r]), cancellationToken);
            await BinaryBlob.WriteAsync(store, container, DedupLayout.IndexExact(manifest.IndexPrefix, manifest.Segment, r, shard), w => BucketEntry.Write(w, exact[r]), cancellationToken);
        }
    }
}

/// <summary>Done marker of stage 4 for one shard; also what <c>ShardDeduplicated</c> reports.</summary>
public sealed record ShardResult(int ShardIndex, BlobReference Source, BlobReference Kept, BlobReference Removed, long DocumentsIn, long DocumentsOut, long ExactDuplicates, long NearDuplicates);

/// <summary>One line of a removed list: which document went, the cluster (kept copy's key) it joined, and why.</summary>
public sealed record RemovedDocument(string Id, string Cluster, string Kind, string Shard, int Position)
{
    public static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
}
