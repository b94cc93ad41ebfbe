using MassTransit;
using Pipeline.BlobStorage;
using Pipeline.Contracts.Messages;
using Pipeline.Dedup.Staged;

namespace Pipeline.Dedup.Consumers;

/// <summary>Stage 1; the last shard to finish starts one candidate task per band range.</summary>
public sealed class ComputeDedupSignaturesConsumer(IBlobStore store, SignatureStage stage) : IConsumer<ComputeDedupSignatures>
{
    public async Task Consume(ConsumeContext<ComputeDedupSignatures> context)
    {
        var m = context.Message;
        var manifest = await store.ManifestAsync(m, context.CancellationToken);
        if (await store.GetAsync(m.Container, DedupLayout.SignaturesDone(m.JobPrefix, m.ShardIndex), context.CancellationToken) is null)
        {
            var documents = await stage.RunAsync(m.Container, m.JobPrefix, manifest, m.ShardIndex, context.CancellationToken);
            await StageGate.MarkDoneAsync(store, m.Container, DedupLayout.SignaturesDone(m.JobPrefix, m.ShardIndex), new SignaturesDone(m.ShardIndex, documents), context.CancellationToken);
        }
        if (!(await GroupedFanIn.CheckAsync(store, m.Container, DedupLayout.SignaturesCompletion(m.JobPrefix, manifest.Shards.Count), m.ShardIndex, context.CancellationToken)).AllDone) return;
        if (!await StageGate.ClaimAsync(store, m.Container, DedupLayout.Trigger(m.JobPrefix, "candidates"), context.IsRepeat(), context.CancellationToken)) return;
        await context.PublishBatch(Enumerable.Range(0, manifest.BandRanges).Select(range => new FindDedupCandidates
        {
            RunId = m.RunId, IterationId = m.IterationId, Container = m.Container, JobPrefix = m.JobPrefix, BandRange = range,
        }), context.CancellationToken);
    }
}
