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
        // The batch's texts, unescaped straight from the UTF-8 lines into one reused arena (no strings).
        var arena = new char[1 << 20];
        var used = 0;
        var batch = new List<(int Offset, int Length)>(BatchSize);
        var fingerprints = new Fingerprint[BatchSize];
        var fingerprinters = new ThreadLocal<Fingerprinter>(() => new Fingerprinter(settings));
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            SignatureFile.WriteHeader(writer, settings.Permutations);
            void Flush()
            {
                var texts = arena;
                Parallel.For(0, batch.Count, i => fingerprints[i] = fingerprinters.Value!.Compute(texts.AsSpan(batch[i].Offset, batch[i].Length)));
                for (var i = 0; i < batch.Count; i++) SignatureFile.Write(writer, fingerprints[i]);
                batch.Clear();
                used = 0;
            }
            await foreach (var line in ShardLines.ReadUtf8Async(store, source, cancellationToken))
            {
                if (documents >= DocKey.MaxPositions) throw new InvalidDataException($"Shard {source} has more than {DocKey.MaxPositions} documents; split it.");
                var length = ShardLines.CopyText(line.Span, source, documents, ref arena, used);
                batch.Add((used, length));
                used += length;
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
