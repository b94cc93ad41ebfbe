using MassTransit;
using Pipeline.BlobStorage;
using Pipeline.Contracts.Messages;
using Pipeline.Dedup.Staged;

namespace Pipeline.Dedup.Consumers;

/// <summary>Stage 3 (one per run); starts one filter task per shard. Rerunning it rewrites identical artifacts.</summary>
public sealed class ClusterDedupCandidatesConsumer(IBlobStore store, ClusterStage stage) : IConsumer<ClusterDedupCandidates>
{
    public async Task Consume(ConsumeContext<ClusterDedupCandidates> context)
    {
        var m = context.Message;
        var manifest = await store.ManifestAsync(m, context.CancellationToken);
        if (await store.GetAsync(m.Container, DedupLayout.Clusters(m.JobPrefix), context.CancellationToken) is null || context.IsRepeat())
            await stage.RunAsync(m.Container, m.JobPrefix, manifest, context.CancellationToken);
        await context.PublishBatch(Enumerable.Range(0, manifest.Shards.Count).Select(shard => new FilterDedupShard
        {
            RunId = m.RunId, IterationId = m.IterationId, Container = m.Container, JobPrefix = m.JobPrefix, ShardIndex = shard,
        }), context.CancellationToken);
    }
}
