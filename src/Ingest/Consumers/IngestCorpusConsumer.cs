using MassTransit;
using Microsoft.Extensions.Logging;
using Pipeline.Contracts.Messages;
using Pipeline.Ingest.Processing;

namespace Pipeline.Ingest.Consumers;

/// <summary>Splits an ingest request into one FilterShard per supported source file under its prefix (see <see cref="IngestPlanner"/>).</summary>
public sealed class IngestCorpusConsumer(IngestPlanner planner, ILogger<IngestCorpusConsumer> logger) : IConsumer<IngestCorpus>
{
    public async Task Consume(ConsumeContext<IngestCorpus> context)
    {
        var message = context.Message;
        var plan = await planner.PlanOnceAsync(message.RunId, message.Languages, $"{message.SourceContainer}/{message.SourcePrefix}",
            ct => planner.ListAsync(message.SourceContainer, message.SourcePrefix, ct), context.CancellationToken);
        logger.LogInformation("Ingest run {RunId} planned {ShardCount} shards from {Container}/{Prefix}", message.RunId, plan.Shards.Count, message.SourceContainer, message.SourcePrefix);
        await IngestPlanner.PublishShardsAsync(context, plan, message.IterationId, message.TextField, context.CancellationToken);
    }
}
