using MassTransit;
using Microsoft.Extensions.Options;
using Pipeline.Contracts.Messages;
using Pipeline.Dedup.Staged;

namespace Pipeline.Dedup.Consumers;

/// <summary>Writes the job manifest and fans out one signature task per shard.</summary>
public sealed class DeduplicateCorpusConsumer(JobStarter starter, IOptions<DedupOptions> options) : IConsumer<DeduplicateCorpus>
{
    public async Task Consume(ConsumeContext<DeduplicateCorpus> context)
    {
        var (job, manifest) = await starter.StartAsync(context.Message, context.CancellationToken);
        var tasks = Enumerable.Range(0, manifest.Shards.Count).Select(shard => new ComputeDedupSignatures
        {
            RunId = context.Message.RunId,
            IterationId = context.Message.IterationId,
            Container = options.Value.Container,
            JobPrefix = job,
            ShardIndex = shard,
        });
        await context.PublishBatch(tasks, context.CancellationToken);
    }
}
