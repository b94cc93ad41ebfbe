using Pipeline.BlobStorage;

namespace Pipeline.Dedup.Staged;

/// <summary>
/// Fan-in kept in the blob store, never in memory: each unit writes a done marker (first writer
/// wins), and whoever sees the last marker creates the stage's trigger blob and starts the next
/// stage. A redelivered or retried message also starts it when the trigger already exists, because
/// its earlier attempt may have died between creating the trigger and publishing; the stages are
/// idempotent, so such a rare second start only redoes work with identical results.
/// </summary>
public static class StageGate
{
    public static Task<bool> MarkDoneAsync<T>(IBlobStore store, string container, string name, T result, CancellationToken cancellationToken)
        => store.TryCreateJsonAsync(container, name, result, cancellationToken);

    public static async Task<bool> AllDoneAsync(IBlobStore store, string container, string prefix, int expected, CancellationToken cancellationToken)
        => await store.CountAsync(container, prefix, cancellationToken) >= expected;

    /// <returns>True when this caller should start the next stage.</returns>
    public static async Task<bool> ClaimAsync(IBlobStore store, string container, string trigger, bool redelivered, CancellationToken cancellationToken)
    {
        try
        {
            await store.WriteTextAsync(container, trigger, DateTimeOffset.UtcNow.ToString("O"), BlobWriteMode.CreateNew, cancellationToken);
            return true;
        }
        catch (BlobAlreadyExistsException)
        {
            return redelivered;
        }
    }
}
