using MassTransit;
using Pipeline.BlobStorage;

namespace Pipeline.Ingest.Processing;

/// <summary>
/// Publish-then-mark for events whose result is stored before they are announced: the marker is
/// written only after the publish returned, so a stored result without its marker means the
/// announcing delivery stopped in between and a redelivery must publish the stored result again.
/// </summary>
internal static class Announcement
{
    public static async Task<bool> IsMarkedAsync(IBlobStore store, string container, string marker, CancellationToken cancellationToken)
        => await store.GetAsync(container, marker, cancellationToken) is not null;

    public static async Task PublishThenMarkAsync<T>(ConsumeContext context, T message, IBlobStore store, string container, string marker)
        where T : class
    {
        await context.Publish(message, context.CancellationToken);
        await store.WriteJsonAsync(container, marker, new { AnnouncedAt = DateTimeOffset.UtcNow }, BlobWriteMode.Overwrite, context.CancellationToken);
    }
}
