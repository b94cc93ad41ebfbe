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
/// watchers may announce one batch more than once: the by-batch document, created with
/// If-None-Match, makes sure a batch starts exactly one iteration.
/// </summary>
public sealed class PreferenceBatchLandedConsumer(IBlobStore store, IOptions<OrchestratorOptions> options, ILogger<PreferenceBatchLandedConsumer> logger)
    : IConsumer<PreferenceBatchLanded>
{
    public async Task Consume(ConsumeContext<PreferenceBatchLanded> context)
    {
        var batch = context.Message;
        var lineage = options.Value.LineageContainer;
        var existing = await store.GetAsync(lineage, LineageLayout.IterationOfBatch(batch.BatchId), context.CancellationToken);
        if (existing is not null)
        {
            var known = await store.ReadJsonAsync<IterationRecord>(lineage, LineageLayout.IterationOfBatch(batch.BatchId), context.CancellationToken);
            logger.LogInformation("Preference batch {BatchId} already started iteration {IterationId}; ignoring the repeat", batch.BatchId, known.Number);
            await PublishStartedAsync(context, known);
            return;
        }

        var policy = await store.GetAsync(lineage, LineageLayout.CurrentPolicy, context.CancellationToken) is null
            ? null
            : await store.ReadJsonAsync<BlobFolderReference>(lineage, LineageLayout.CurrentPolicy, context.CancellationToken);
        var record = await ClaimNextNumberAsync(batch, policy, context.CancellationToken);
        try
        {
            await store.WriteJsonAsync(lineage, LineageLayout.IterationOfBatch(batch.BatchId), record, BlobWriteMode.CreateNew, context.CancellationToken);
        }
        catch (BlobAlreadyExistsException)
        {
            // Lost a race with a duplicate delivery: that one owns the batch; withdraw our number.
            await store.DeleteAsync(lineage, LineageLayout.Iteration(record.Number), context.CancellationToken);
            return;
        }
        logger.LogInformation("Iteration {IterationId} started for preference batch {BatchId} with {FileCount} accepted files",
            record.Number, batch.BatchId, batch.Files.Count);
        await PublishStartedAsync(context, record);
    }

    private async Task<IterationRecord> ClaimNextNumberAsync(PreferenceBatchLanded batch, BlobFolderReference? policy, CancellationToken cancellationToken)
    {
        var lineage = options.Value.LineageContainer;
        var taken = 0;
        await foreach (var _ in store.ListAsync(lineage, "iterations/0", cancellationToken)) taken++;
        for (var number = taken + 1; ; number++)
        {
            var record = new IterationRecord
            {
                Number = number,
                BatchId = batch.BatchId,
                RunId = batch.RunId,
                Status = "started",
                StartPolicy = policy,
                Preferences = batch.Files,
                StartedAt = DateTimeOffset.UtcNow,
            };
            try
            {
                await store.WriteJsonAsync(lineage, LineageLayout.Iteration(number), record, BlobWriteMode.CreateNew, cancellationToken);
                return record;
            }
            catch (BlobAlreadyExistsException)
            {
                // Another batch took this number first; try the next one.
            }
        }
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
