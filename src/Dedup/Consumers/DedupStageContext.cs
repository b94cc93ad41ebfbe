using MassTransit;
using Pipeline.BlobStorage;
using Pipeline.Contracts.Messages;
using Pipeline.Contracts.Storage;
using Pipeline.Dedup.Staged;
using Pipeline.ServiceDefaults.Messaging;

namespace Pipeline.Dedup.Consumers;

internal static class DedupStageContext
{
    /// <summary>A delivery whose earlier attempt may have stopped halfway (broker redelivery or in-process retry).</summary>
    public static bool IsRepeat(this ConsumeContext context) => context.ReceiveContext.Redelivered || context.GetRetryAttempt() > 0;

    public static async Task<BlobReference?> ReferenceAsync(this IBlobStore store, string container, string name, CancellationToken cancellationToken)
        => await store.GetAsync(container, name, cancellationToken) is { Sha256: { } sha } item
            ? new BlobReference { Container = container, Name = name, Sha256 = sha, Size = item.Size }
            : null;

    public static async Task<JobManifest> ManifestAsync(this IBlobStore store, DedupStageMessage message, CancellationToken cancellationToken)
    {
        try
        {
            return await store.ReadJsonAsync<JobManifest>(message.Container, DedupLayout.Job(message.JobPrefix), cancellationToken);
        }
        catch (BlobNotFoundException ex)
        {
            throw new UnprocessableMessageException($"Dedup job {message.JobPrefix} has no manifest.", ex);
        }
    }
}
