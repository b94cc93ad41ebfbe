using MassTransit;
using Pipeline.BlobStorage;
using Pipeline.Contracts.Messages;
using Pipeline.Dedup.Staged;

namespace Pipeline.Dedup.Consumers;

/// <summary>Stage 4; reports the shard, and the last shard to finish closes the run.</summary>
public sealed class FilterDedupShardConsumer(IBlobStore store, FilterStage stage, FinishStage finish) : IConsumer<FilterDedupShard>
{
    public async Task Consume(ConsumeContext<FilterDedupShard> context)
    {
        var m = context.Message;
        var manifest = await store.ManifestAsync(m, context.CancellationToken);
        var doneName = DedupLayout.FilterDone(m.JobPrefix, m.ShardIndex);
        var result = await store.GetAsync(m.Container, doneName, context.CancellationToken) is null
            ? await stage.RunAsync(m.Container, m.JobPrefix, manifest, m.ShardIndex, context.CancellationToken)
            : null;
        if (result is not null && (await StageGate.MarkDoneAsync(store, m.Container, doneName, result, context.CancellationToken) || context.IsRepeat()))
        {
            await context.Publish(new ShardDeduplicated
            {
                RunId = m.RunId, IterationId = m.IterationId, ShardId = result.Source.Name, Source = result.Source, Kept = result.Kept,
                DocumentsIn = result.DocumentsIn, DocumentsOut = result.DocumentsOut,
            }, context.CancellationToken);
        }

        if (!(await GroupedFanIn.CheckAsync(store, m.Container, DedupLayout.FilterCompletion(m.JobPrefix, manifest.Shards.Count), m.ShardIndex, context.CancellationToken)).AllDone) return;
        if (!await StageGate.ClaimAsync(store, m.Container, DedupLayout.Trigger(m.JobPrefix, "finish"), context.IsRepeat(), context.CancellationToken)) return;
        var (run, first) = await finish.RunAsync(m.Container, m.JobPrefix, manifest, context.CancellationToken);
        if (!first && !context.IsRepeat()) return;
        await context.Publish(new CorpusDeduplicated
        {
            RunId = m.RunId, IterationId = m.IterationId, KeptShards = run.KeptShards, RemovedList = run.RemovedList,
            DocumentsIn = run.Summary.DocumentsIn, DocumentsOut = run.Summary.DocumentsOut,
            ExactDuplicates = run.Summary.ExactDuplicates, NearDuplicates = run.Summary.NearDuplicates,
            Report = await store.ReferenceAsync(m.Container, DedupLayout.Result(m.JobPrefix), context.CancellationToken),
        }, context.CancellationToken);
    }
}
