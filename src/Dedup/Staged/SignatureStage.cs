using Microsoft.Extensions.Logging;
using Pipeline.BlobStorage;
using Pipeline.Dedup.Core;

namespace Pipeline.Dedup.Staged;

/// <summary>
/// Stage 1 for one shard: fingerprints every document, in batches fingerprinted in parallel. Memory:
/// one batch of texts plus the shard's signature file being built (17 + 4·K bytes a document).
/// </summary>
public sealed class SignatureStage(IBlobStore store, ILogger<SignatureStage> logger)
{
    private const int BatchSize = 2048;

    public async Task<int> RunAsync(string container, string job, JobManifest manifest, int shard, CancellationToken cancellationToken)
    {
        var settings = manifest.Settings();
        var source = manifest.Shards[shard];
        var documents = 0;
        var batch = new List<string>(BatchSize);
        var fingerprints = new Fingerprint[BatchSize];
        var fingerprinters = new ThreadLocal<Fingerprinter>(() => new Fingerprinter(settings));
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            SignatureFile.WriteHeader(writer, settings.Permutations);
            void Flush()
            {
                Parallel.For(0, batch.Count, i => fingerprints[i] = fingerprinters.Value!.Compute(batch[i]));
                for (var i = 0; i < batch.Count; i++) SignatureFile.Write(writer, fingerprints[i]);
                batch.Clear();
            }
            await foreach (var line in ShardLines.ReadUtf8Async(store, source, cancellationToken))
            {
                if (documents >= DocKey.MaxPositions) throw new InvalidDataException($"Shard {source} has more than {DocKey.MaxPositions} documents; split it.");
                batch.Add(ShardLines.ParseUtf8(line.Span, source, documents, withId: false).Text);
                documents++;
                if (batch.Count == BatchSize) Flush();
            }
            Flush();
        }
        fingerprinters.Dispose();
        buffer.Position = 0;
        await store.WriteAsync(container, DedupLayout.Signatures(job, shard), buffer, BlobWriteMode.Overwrite, cancellationToken);
        logger.LogInformation("Shard {ShardIndex} ({Shard}): {Documents} signatures", shard, source.Name, documents);
        return documents;
    }
}

/// <summary>Done marker of stage 1 for one shard.</summary>
public sealed record SignaturesDone(int ShardIndex, int Documents);
