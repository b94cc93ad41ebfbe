using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pipeline.BlobStorage;
using Pipeline.Contracts.Messages;
using Pipeline.Contracts.Storage;
using Pipeline.Orchestrator.Lineage;

namespace Pipeline.Orchestrator.Iterations;

/// <summary>
/// Starts RLHF iteration N+1 for a newly landed preference batch. At-least-once delivery and several
/// watchers may announce one batch more than once, even at the same moment. The iteration documents
/// themselves decide: a delivery reads every iteration, reuses the one that already belongs to its
/// batch, and otherwise creates the next number with If-None-Match; a delivery that loses that race
/// reads again and finds either its batch (a concurrent duplicate won) or another batch (it tries
/// the next number). No number is ever claimed and then withdrawn, so there are no gaps and no
/// orphaned iterations whatever the interleaving. The by-batch document is only a fast path.
/// </summary>
public sealed class PreferenceBatchLandedConsumer(IBlobStore store, IOptions<OrchestratorOptions> options, ILogger<PreferenceBatchLandedConsumer> logger)
    : IConsumer<PreferenceBatchLanded>
{
    public async Task Consume(ConsumeContext<PreferenceBatchLanded> context)
    {
        var batch = context.Message;
        var lineage = options.Value.LineageContainer;
        var cancellationToken = context.CancellationToken;
        if (await store.GetAsync(lineage, LineageLayout.IterationOfBatch(batch.BatchId), cancellationToken) is not null)
        {
            await RepeatAsync(context, await store.ReadJsonAsync<IterationRecord>(lineage, LineageLayout.IterationOfBatch(batch.BatchId), cancellationToken));
            return;
        }

        var policy = await store.GetAsync(lineage, LineageLayout.CurrentPolicy, cancellationToken) is null
            ? null
            : await store.ReadJsonAsync<BlobFolderReference>(lineage, LineageLayout.CurrentPolicy, cancellationToken);
        while (true)
        {
            var iterations = await ReadIterationsAsync(lineage, cancellationToken);
            var existing = iterations.FirstOrDefault(record => record.BatchId == batch.BatchId);
            if (existing is not null)
            {
                // A concurrent or earlier delivery of this batch created it; make sure the fast path exists and announce it again
                // (that delivery may have stopped before publishing).
                await store.WriteJsonAsync(lineage, LineageLayout.IterationOfBatch(batch.BatchId), existing, BlobWriteMode.Overwrite, cancellationToken);
                await RepeatAsync(context, existing);
                return;
            }

            var record = new IterationRecord
            {
                Number = iterations.Count == 0 ? 1 : iterations.Max(r => r.Number) + 1,
                BatchId = batch.BatchId,
                RunId = batch.RunId,
                Status = "started",
                StartPolicy = policy,
                Preferences = batch.Files,
                StartedAt = DateTimeOffset.UtcNow,
            };
            try
            {
                await store.WriteJsonAsync(lineage, LineageLayout.Iteration(record.Number), record, BlobWriteMode.CreateNew, cancellationToken);
            }
            catch (BlobAlreadyExistsException)
            {
                continue; // Someone took this number first: read again (it may have been our own batch).
            }
            await store.WriteJsonAsync(lineage, LineageLayout.IterationOfBatch(batch.BatchId), record, BlobWriteMode.Overwrite, cancellationToken);
            logger.LogInformation("Iteration {IterationId} started for preference batch {BatchId} with {FileCount} accepted files",
                record.Number, batch.BatchId, batch.Files.Count);
            await PublishStartedAsync(context, record);
            return;
        }
    }

    /// <summary>Every iteration document (iterations/NNNN.json; a handful per project, one per preference batch).</summary>
    private async Task<List<IterationRecord>> ReadIterationsAsync(string lineage, CancellationToken cancellationToken)
    {
        var records = new List<IterationRecord>();
        await foreach (var item in store.ListAsync(lineage, "iterations/0", cancellationToken))
            records.Add(await store.ReadJsonAsync<IterationRecord>(lineage, item.Name, cancellationToken));
        return records;
    }

    /// <summary>A repeat delivery announces the batch's iteration again: the first delivery may have stopped before publishing.</summary>
    private Task RepeatAsync(ConsumeContext context, IterationRecord record)
    {
        logger.LogInformation("Preference batch {BatchId} already started iteration {IterationId}; ignoring the repeat", record.BatchId, record.Number);
        return PublishStartedAsync(context, record);
    }

    private static Task PublishStartedAsync(ConsumeContext context, IterationRecord record) =>
        context.Publish(new IterationStarted
        {
            RunId = record.RunId,
            IterationId = record.Number,
            BatchId = record.BatchId,
            Policy = record.StartPolicy,
            Preferences = record.Preferences,
        });
}
