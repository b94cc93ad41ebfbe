using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pipeline.BlobStorage;
using Pipeline.Contracts.Messages;
using Pipeline.Ingest.Reading;

namespace Pipeline.Ingest.Processing;

/// <summary>
/// Streams one source blob through the chain and uploads kept, rejected and quarantined records.
/// Deterministic for a given source, so a second run of the same shard writes the same blobs.
/// </summary>
public sealed class ShardProcessor(IBlobStore store, IOptions<IngestOptions> options, ILogger<ShardProcessor> logger)
{
    public async Task<ShardResult> ProcessAsync(FilterShard shard, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var readerOptions = new ReaderOptions
        {
            TextField = shard.TextField,
            MaxLineBytes = settings.Reader.MaxLineBytes,
            MaxDocumentBytes = settings.Reader.MaxDocumentBytes,
            ParquetTextColumn = settings.Reader.ParquetTextColumn,
        };
        var chain = new IngestChain(settings, shard.Languages);
        var stats = new ShardStats();
        var clock = Stopwatch.StartNew();
        var compression = settings.OutputCompression;
        await using var kept = new JsonlShardSink(compression);
        await using var rejected = new JsonlShardSink(compression);
        await using var quarantined = new JsonlShardSink(compression);
        await using (var source = await store.OpenReadAsync(shard.Source, cancellationToken))
        {
            await foreach (var item in DocumentReader.ReadAsync(source, shard.Source.Name, readerOptions, cancellationToken))
            {
                if (item.Document is null)
                {
                    stats.AddQuarantined();
                    quarantined.Write(writer => DocumentJson.WriteQuarantine(writer, shard.Source.Name, item));
                    logger.LogWarning("Shard {ShardId} quarantined {File}:{Line}: {Reason}", shard.ShardId, shard.Source.Name, item.Line, item.QuarantineReason);
                    continue;
                }
                var document = chain.Process(item.Document);
                stats.Add(document, Encoding.UTF8.GetByteCount(item.Document.Text), settings.Toxicity.Threshold);
                (document.Kept ? kept : rejected).Write(writer => DocumentJson.WriteDocument(writer, document, shard.ShardId));
            }
        }
        if (stats.Kept + stats.Rejected + stats.Quarantined != stats.Read || kept.Count != stats.Kept || rejected.Count != stats.Rejected || quarantined.Count != stats.Quarantined)
            throw new InvalidOperationException($"Shard {shard.ShardId} lost records: read {stats.Read}, kept {stats.Kept}, rejected {stats.Rejected}, quarantined {stats.Quarantined}.");

        var container = settings.OutputContainer;
        var keptBlob = await kept.UploadAsync(store, container, RunLayout.Kept(shard.RunId, shard.ShardId, compression), cancellationToken);
        var rejectedBlob = stats.Rejected > 0 ? await rejected.UploadAsync(store, container, RunLayout.Rejected(shard.RunId, shard.ShardId, compression), cancellationToken) : null;
        var quarantineBlob = stats.Quarantined > 0 ? await quarantined.UploadAsync(store, container, RunLayout.Quarantine(shard.RunId, shard.ShardId, compression), cancellationToken) : null;
        logger.LogInformation("Shard {ShardId} kept {Kept}/{Read} (rejected {Rejected}, quarantined {Quarantined}) in {Seconds:0.00}s",
            shard.ShardId, stats.Kept, stats.Read, stats.Rejected, stats.Quarantined, clock.Elapsed.TotalSeconds);
        return new ShardResult
        {
            ShardId = shard.ShardId,
            Source = shard.Source,
            Kept = keptBlob,
            Rejected = rejectedBlob,
            Quarantined = quarantineBlob,
            Stats = stats,
            Seconds = clock.Elapsed.TotalSeconds,
            Worker = $"{Environment.MachineName}/{Environment.ProcessId}",
        };
    }
}
