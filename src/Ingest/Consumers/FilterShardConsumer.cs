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
/// yields one event. A shard whose result exists is not processed again.
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
            logger.LogInformation("Shard {ShardId} of run {RunId} is already done; not processing it again", shard.ShardId, shard.RunId);
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
        await context.Publish(new ShardFiltered
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
        }, context.CancellationToken);
    }
}
