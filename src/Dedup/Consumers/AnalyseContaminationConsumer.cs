using MassTransit;
using Microsoft.Extensions.Options;
using Pipeline.BlobStorage;
using Pipeline.Contracts.Messages;
using Pipeline.Dedup.Contamination;
using Pipeline.Dedup.Staged;
using Pipeline.ServiceDefaults.Messaging;

namespace Pipeline.Dedup.Consumers;

/// <summary>Writes <c>contamination/{runId}/report.json</c> (and decontaminated shards when asked) and announces it.</summary>
public sealed class AnalyseContaminationConsumer(IBlobStore store, ContaminationRun run, IOptions<DedupOptions> options) : IConsumer<AnalyseContamination>
{
    public async Task Consume(ConsumeContext<AnalyseContamination> context)
    {
        var m = context.Message;
        if (m.Benchmarks.Count == 0 || m.Corpus.Count == 0) throw new UnprocessableMessageException("Contamination needs at least one benchmark and one corpus shard.");
        if (m.MinMatchTokens < 1) throw new UnprocessableMessageException($"MinMatchTokens must be positive, got {m.MinMatchTokens}.");
        var container = options.Value.Container;
        var prefix = $"contamination/{m.RunId:N}";
        var (report, cleaned) = await run.RunAsync(m.Benchmarks, m.Corpus, new ContaminationOptions { MinMatchTokens = m.MinMatchTokens }, container, prefix, m.Decontaminate, context.CancellationToken);
        var reportBlob = await store.WriteJsonAsync(container, $"{prefix}/report.json", report, BlobWriteMode.Overwrite, context.CancellationToken);
        await context.Publish(new ContaminationAnalysed { RunId = m.RunId, IterationId = m.IterationId, Report = reportBlob, DecontaminatedShards = cleaned }, context.CancellationToken);
    }
}
