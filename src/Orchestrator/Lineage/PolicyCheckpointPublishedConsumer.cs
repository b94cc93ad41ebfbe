using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pipeline.BlobStorage;
using Pipeline.Contracts.Messages;

namespace Pipeline.Orchestrator.Lineage;

/// <summary>
/// Records every published checkpoint (what it was trained from, by which stage, in which run) and
/// makes pretrain/SFT checkpoints the current policy that the next RLHF iteration starts from.
/// Overwriting the same lineage document on redelivery is harmless: it is derived from the message.
/// </summary>
public sealed class PolicyCheckpointPublishedConsumer(IBlobStore store, IOptions<OrchestratorOptions> options, ILogger<PolicyCheckpointPublishedConsumer> logger)
    : IConsumer<PolicyCheckpointPublished>
{
    public async Task Consume(ConsumeContext<PolicyCheckpointPublished> context)
    {
        var checkpoint = context.Message;
        var lineage = options.Value.LineageContainer;
        await store.WriteJsonAsync(lineage, LineageLayout.Checkpoint(checkpoint.Model.Container, checkpoint.Model.Prefix), checkpoint, cancellationToken: context.CancellationToken);
        if (checkpoint.Stage is PolicyStage.Pretrain or PolicyStage.Sft)
        {
            await store.WriteJsonAsync(lineage, LineageLayout.CurrentPolicy, checkpoint.Model, cancellationToken: context.CancellationToken);
            logger.LogInformation("Policy {Model} ({Stage}) is now the current policy", checkpoint.Model.ToString(), checkpoint.Stage);
        }
    }
}
