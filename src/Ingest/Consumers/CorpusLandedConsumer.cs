using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pipeline.Contracts.Messages;
using Pipeline.Ingest.Processing;

namespace Pipeline.Ingest.Consumers;

/// <summary>
/// Ingests a landed batch of raw text as run <c>RunId</c>: the files it names (or, when it names none,
/// every file under its prefix), with the landing options' languages and text field. A redelivery
/// finds the run's plan and republishes the same shards.
/// </summary>
public sealed class CorpusLandedConsumer(IngestPlanner planner, IOptions<IngestOptions> options, ILogger<CorpusLandedConsumer> logger) : IConsumer<CorpusLanded>
{
    public async Task Consume(ConsumeContext<CorpusLanded> context)
    {
        var message = context.Message;
        var plan = await planner.PlanOnceAsync(message.RunId, options.Value.LandingLanguages, $"the landed batch {message.Container}/{message.Prefix}",
            ct => message.Files.Count > 0 ? message.Files.ToAsyncEnumerable() : planner.ListAsync(message.Container, message.Prefix, ct), context.CancellationToken);
        logger.LogInformation("Landed batch {Container}/{Prefix} planned as ingest run {RunId} with {ShardCount} shards", message.Container, message.Prefix, message.RunId, plan.Shards.Count);
        await IngestPlanner.PublishShardsAsync(context, plan, message.IterationId, options.Value.LandingTextField, context.CancellationToken);
    }
}
