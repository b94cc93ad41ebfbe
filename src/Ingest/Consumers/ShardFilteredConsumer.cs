using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pipeline.BlobStorage;
using Pipeline.Contracts.Messages;
using Pipeline.Ingest.Processing;
using Pipeline.Ingest.Reports;

namespace Pipeline.Ingest.Consumers;

/// <summary>
/// After each shard, counts the result documents of the run in the blob store (not in memory, so any
/// instance can do it): one listing of the run's results folder, which holds nothing else. When all are there it writes the corpus report and creates the run's
/// completion marker with CreateNew: the one instance that creates it publishes CorpusIngested, then
/// marks it announced. A later event of the run that finds the completion without that mark
/// publishes the stored CorpusIngested (the announcing delivery stopped in between).
/// </summary>
public sealed class ShardFilteredConsumer(IBlobStore store, CorpusReportWriter reports, IOptions<IngestOptions> options, ILogger<ShardFilteredConsumer> logger) : IConsumer<ShardFiltered>
{
    public async Task Consume(ConsumeContext<ShardFiltered> context)
    {
        var runId = context.Message.RunId;
        var container = options.Value.OutputContainer;
        var ct = context.CancellationToken;
        if (await store.GetAsync(container, RunLayout.Completed(runId), ct) is not null)
        {
            if (await Announcement.IsMarkedAsync(store, container, RunLayout.CompletedAnnounced(runId), ct)) return;
            logger.LogWarning("Run {RunId} was completed but never announced; publishing the stored CorpusIngested", runId);
            var stored = await store.ReadJsonAsync<CorpusIngested>(container, RunLayout.Completed(runId), ct);
            await Announcement.PublishThenMarkAsync(context, stored, store, container, RunLayout.CompletedAnnounced(runId));
            return;
        }
        var plan = await store.ReadJsonAsync<IngestPlan>(container, RunLayout.Plan(runId), ct);
        var resultNames = new List<string>();
        await foreach (var blob in store.ListAsync(container, RunLayout.ResultsPrefix(runId), ct))
        {
            if (blob.Name.EndsWith(".json", StringComparison.Ordinal)) resultNames.Add(blob.Name);
        }
        if (resultNames.Count < plan.Shards.Count)
        {
            logger.LogInformation("Run {RunId}: {Done}/{Total} shards done", runId, resultNames.Count, plan.Shards.Count);
            return;
        }
        var results = new List<ShardResult>(resultNames.Count);
        foreach (var name in resultNames) results.Add(await store.ReadJsonAsync<ShardResult>(container, name, ct));
        var report = CorpusReport.Build(runId, results, options.Value.Toxicity.Threshold);
        var reportBlob = await reports.WriteAsync(container, report, ct);
        var ingested = new CorpusIngested
        {
            RunId = runId,
            IterationId = context.Message.IterationId,
            KeptShards = results.OrderBy(r => r.ShardId, StringComparer.Ordinal).Select(r => r.Kept).ToList(),
            Report = reportBlob,
            DocumentsRead = report.Documents.Read,
            DocumentsKept = report.Documents.Kept,
        };
        try
        {
            await store.WriteJsonAsync(container, RunLayout.Completed(runId), ingested, BlobWriteMode.CreateNew, ct);
        }
        catch (BlobAlreadyExistsException)
        {
            return;
        }
        logger.LogInformation("Run {RunId} ingested: kept {Kept}/{Read} documents in {ShardCount} shards", runId, report.Documents.Kept, report.Documents.Read, results.Count);
        await Announcement.PublishThenMarkAsync(context, ingested, store, container, RunLayout.CompletedAnnounced(runId));
    }
}
