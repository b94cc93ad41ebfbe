using MassTransit;
using Pipeline.BlobStorage;
using Pipeline.Contracts.Messages;
using Pipeline.Dedup.Staged;

namespace Pipeline.Dedup.Consumers;

/// <summary>Stage 2; the last band range to finish starts clustering.</summary>
public sealed class FindDedupCandidatesConsumer(IBlobStore store, CandidateStage stage) : IConsumer<FindDedupCandidates>
{
    public async Task Consume(ConsumeContext<FindDedupCandidates> context)
    {
        var m = context.Message;
        var manifest = await store.ManifestAsync(m, context.CancellationToken);
        if (await store.GetAsync(m.Container, DedupLayout.CandidatesDone(m.JobPrefix, m.BandRange), context.CancellationToken) is null)
        {
            var pairs = await stage.RunAsync(m.Container, m.JobPrefix, manifest, m.BandRange, context.CancellationToken);
            await StageGate.MarkDoneAsync(store, m.Container, DedupLayout.CandidatesDone(m.JobPrefix, m.BandRange), new CandidatesDone(m.BandRange, pairs), context.CancellationToken);
        }
        if (!await StageGate.AllDoneAsync(store, m.Container, DedupLayout.CandidatesDonePrefix(m.JobPrefix), manifest.BandRanges, context.CancellationToken)) return;
        if (!await StageGate.ClaimAsync(store, m.Container, DedupLayout.Trigger(m.JobPrefix, "cluster"), context.IsRepeat(), context.CancellationToken)) return;
        await context.Publish(new ClusterDedupCandidates { RunId = m.RunId, IterationId = m.IterationId, Container = m.Container, JobPrefix = m.JobPrefix }, context.CancellationToken);
    }
}
