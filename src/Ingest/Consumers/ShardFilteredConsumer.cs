using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pipeline.BlobStorage;
using Pipeline.Contracts.Messages;
using Pipeline.ServiceDefaults.Messaging;
using Pipeline.Ingest.Processing;
using Pipeline.Ingest.Reports;

namespace Pipeline.Ingest.Consumers;

/// <summary>
/// After each shard, counts finished shards in the blob store (not in memory, so any instance can do
/// it), in two levels: the results of the shard's group of <see cref="RunLayout.ShardsPerGroup"/>, and,
/// once that group is full, the groups' done markers (created with CreateNew; a redelivery that finds
/// its group's marker counts the groups again). When every group is done it writes the corpus report
/// and creates the run's completion marker with CreateNew: the one instance that creates it publishes
/// CorpusIngested, then marks it announced. A later event of the run that finds the completion without
/// that mark publishes the stored CorpusIngested (the announcing delivery stopped in between).
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
        if (!await AllGroupsDoneAsync(container, runId, context.Message.ShardId, plan.Shards.Count, ct)) return;
        var resultNames = new List<string>();
        await foreach (var blob in store.ListAsync(container, RunLayout.ResultsPrefix(runId), ct))
        {
            if (blob.Name.EndsWith(".json", StringComparison.Ordinal)) resultNames.Add(blob.Name);
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
        if (!await store.TryCreateJsonAsync(container, RunLayout.Completed(runId), ingested, ct)) return;
        logger.LogInformation("Run {RunId} ingested: kept {Kept}/{Read} documents in {ShardCount} shards", runId, report.Documents.Kept, report.Documents.Read, results.Count);
        await Announcement.PublishThenMarkAsync(context, ingested, store, container, RunLayout.CompletedAnnounced(runId));
    }

    /// <summary>Whether every shard is done: the shard's group first (at most 64 results listed), then the groups.</summary>
    private async Task<bool> AllGroupsDoneAsync(string container, Guid runId, string shardId, int shards, CancellationToken ct)
    {
        FanInProgress progress;
        try
        {
            progress = await GroupedFanIn.CheckAsync(store, container, RunLayout.Completion(runId, shards), RunLayout.IndexOf(shardId), ct);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentOutOfRangeException)
        {
            throw new UnprocessableMessageException($"ShardFiltered of run {runId} names shard '{shardId}', which is not one of the plan's {shards} shards: {ex.Message}", ex);
        }
        if (progress.GroupDone < progress.GroupSize)
            logger.LogInformation("Run {RunId}: {Done}/{GroupSize} shards of group {Group} done ({ShardCount} shards in all)", runId, progress.GroupDone, progress.GroupSize, progress.Group, shards);
        else if (!progress.AllDone)
            logger.LogInformation("Run {RunId}: {GroupsDone}/{Groups} groups of {ShardsPerGroup} shards done", runId, progress.GroupsDone, progress.Groups, FanInLayout.UnitsPerGroup);
        return progress.AllDone;
    }
}
