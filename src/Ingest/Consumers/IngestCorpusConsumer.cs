using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pipeline.BlobStorage;
using Pipeline.Contracts.Messages;
using Pipeline.Contracts.Storage;
using Pipeline.Ingest.Processing;
using Pipeline.Ingest.Reading;
using Pipeline.ServiceDefaults.Messaging;

namespace Pipeline.Ingest.Consumers;

/// <summary>
/// Splits an ingest request into one FilterShard per supported source file. The plan is written
/// with CreateNew before anything is published, so a redelivered request republishes the same plan
/// (shard processing is idempotent) instead of inventing a second one.
/// </summary>
public sealed class IngestCorpusConsumer(IBlobStore store, IOptions<IngestOptions> options, ILogger<IngestCorpusConsumer> logger) : IConsumer<IngestCorpus>
{
    public async Task Consume(ConsumeContext<IngestCorpus> context)
    {
        var message = context.Message;
        var container = options.Value.OutputContainer;
        var planName = RunLayout.Plan(message.RunId);
        IngestPlan plan;
        if (await store.GetAsync(container, planName, context.CancellationToken) is not null)
        {
            plan = await store.ReadJsonAsync<IngestPlan>(container, planName, context.CancellationToken);
        }
        else
        {
            var shards = new List<PlannedShard>();
            await foreach (var blob in store.ListAsync(message.SourceContainer, message.SourcePrefix, context.CancellationToken))
            {
                if (!DocumentReader.IsSupported(blob.Name)) continue;
                // Never re-ingest our own outputs when the source is the output container itself.
                if (blob.Container == container && blob.Name.StartsWith("runs/", StringComparison.Ordinal)) continue;
                var source = new BlobReference { Container = blob.Container, Name = blob.Name, Sha256 = blob.Sha256 ?? "", Size = blob.Size };
                shards.Add(new PlannedShard(RunLayout.ShardId(shards.Count, blob.Name), source));
            }
            if (shards.Count == 0)
                throw new UnprocessableMessageException($"No .jsonl, .txt or .parquet files (optionally .gz/.zst) under {message.SourceContainer}/{message.SourcePrefix}.");
            plan = new IngestPlan { RunId = message.RunId, Shards = shards, Languages = message.Languages };
            try
            {
                await store.WriteJsonAsync(container, planName, plan, BlobWriteMode.CreateNew, context.CancellationToken);
            }
            catch (BlobAlreadyExistsException)
            {
                plan = await store.ReadJsonAsync<IngestPlan>(container, planName, context.CancellationToken);
            }
        }
        logger.LogInformation("Ingest run {RunId} planned {ShardCount} shards from {Container}/{Prefix}", message.RunId, plan.Shards.Count, message.SourceContainer, message.SourcePrefix);
        foreach (var shard in plan.Shards)
        {
            await context.Publish(new FilterShard
            {
                RunId = message.RunId,
                IterationId = message.IterationId,
                ShardId = shard.ShardId,
                Source = shard.Source,
                Languages = message.Languages,
                TextField = message.TextField,
            }, context.CancellationToken);
        }
    }
}
