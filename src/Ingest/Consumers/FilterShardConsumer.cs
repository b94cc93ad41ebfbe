using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pipeline.BlobStorage;
using Pipeline.Contracts.Messages;
using Pipeline.Ingest.Processing;
using Pipeline.ServiceDefaults.Messaging;

namespace Pipeline.Ingest.Consumers;

/// <summary>
/// Processes one shard. The result document is created with CreateNew: only the instance that
/// creates it publishes ShardFiltered, so a shard delivered twice (redelivery, a duplicate command)
/// yields one event. A shard whose result exists is not processed again. After publishing, an
/// "announced" marker is written; a redelivery that finds the result without the marker knows the
/// earlier delivery stopped (crash, lost connection) between storing and announcing, and publishes
/// the stored result, so the event — and the run's completion that waits for it — is never lost.
/// (At-least-once: in that case the event may appear twice; its consumers are idempotent.)
/// </summary>
public sealed class FilterShardConsumer(IBlobStore store, ShardProcessor processor, IOptions<IngestOptions> options, ILogger<FilterShardConsumer> logger) : IConsumer<FilterShard>
{
    public async Task Consume(ConsumeContext<FilterShard> context)
    {
        var shard = context.Message;
        var container = options.Value.OutputContainer;
        var resultName = RunLayout.Result(shard.RunId, shard.ShardId);
        if (await store.GetAsync(container, resultName, context.CancellationToken) is not null)
        {
            if (await Announcement.IsMarkedAsync(store, container, RunLayout.ResultAnnounced(shard.RunId, shard.ShardId), context.CancellationToken))
            {
                logger.LogInformation("Shard {ShardId} of run {RunId} is already done; not processing it again", shard.ShardId, shard.RunId);
                return;
            }
            logger.LogWarning("Shard {ShardId} of run {RunId} was stored but never announced; publishing the stored result", shard.ShardId, shard.RunId);
            await AnnounceAsync(context, await store.ReadJsonAsync<ShardResult>(container, resultName, context.CancellationToken));
            return;
        }
        if (await store.GetAsync(shard.Source.Container, shard.Source.Name, context.CancellationToken) is null)
            throw new UnprocessableMessageException($"Source blob {shard.Source} of shard {shard.ShardId} does not exist.");

        var result = await processor.ProcessAsync(shard, context.CancellationToken);
        try
        {
            await store.WriteJsonAsync(container, resultName, result, BlobWriteMode.CreateNew, context.CancellationToken);
        }
        catch (BlobAlreadyExistsException)
        {
            logger.LogInformation("Shard {ShardId} of run {RunId} was finished by another instance first; not publishing twice", shard.ShardId, shard.RunId);
            return;
        }
        await AnnounceAsync(context, result);
    }

    private async Task AnnounceAsync(ConsumeContext<FilterShard> context, ShardResult result)
    {
        var shard = context.Message;
        var filtered = new ShardFiltered
        {
            RunId = shard.RunId,
            IterationId = shard.IterationId,
            ShardId = shard.ShardId,
            Source = shard.Source,
            Kept = result.Kept,
            Rejected = result.Rejected,
            Quarantined = result.Quarantined,
            DocumentsRead = result.Stats.Read,
            DocumentsKept = result.Stats.Kept,
            DocumentsRejected = result.Stats.Rejected,
            DocumentsQuarantined = result.Stats.Quarantined,
        };
        await Announcement.PublishThenMarkAsync(context, filtered, store, options.Value.OutputContainer, RunLayout.ResultAnnounced(shard.RunId, shard.ShardId));
    }
}
