using Pipeline.Contracts.Storage;

namespace Pipeline.BlobStorage;

/// <summary>
/// Where every artifact lives. Writes are atomic (a reader sees the old blob or the whole new one,
/// never a partial one) and return the content hash; reads stream.
/// </summary>
public interface IBlobStore
{
    /// <summary>Writes a blob atomically and returns its reference (SHA-256 and size).</summary>
    /// <exception cref="BlobAlreadyExistsException">With <see cref="BlobWriteMode.CreateNew"/> when the blob exists.</exception>
    Task<BlobReference> WriteAsync(string container, string name, Stream content, BlobWriteMode mode = BlobWriteMode.Overwrite, CancellationToken cancellationToken = default);

    /// <exception cref="BlobNotFoundException">When there is no such blob.</exception>
    Task<Stream> OpenReadAsync(string container, string name, CancellationToken cancellationToken = default);

    Task<BlobItem?> GetAsync(string container, string name, CancellationToken cancellationToken = default);

    /// <summary>Blobs under a prefix, in ordinal name order.</summary>
    IAsyncEnumerable<BlobItem> ListAsync(string container, string prefix = "", CancellationToken cancellationToken = default);

    /// <summary>
    /// The folders right under <paramref name="prefix"/> (empty, or ending in '/') that hold at least one
    /// blob, each as <c>prefix + name + "/"</c>, in ordinal order: one entry per folder, however many
    /// blobs it holds (the landing watchers list their batches this way, not every file of every batch).
    /// </summary>
    IAsyncEnumerable<string> ListFoldersAsync(string container, string prefix = "", CancellationToken cancellationToken = default);

    Task<bool> DeleteAsync(string container, string name, CancellationToken cancellationToken = default);

    /// <summary>Cheap reachability check for health endpoints.</summary>
    Task CheckAvailableAsync(CancellationToken cancellationToken = default);
}

public enum BlobWriteMode
{
    Overwrite,
    /// <summary>Fail if the blob exists (If-None-Match: *): the first writer wins.</summary>
    CreateNew,
}

/// <summary>A listed blob; Sha256 is null when the blob was written by another tool without our metadata.</summary>
public sealed record BlobItem(string Container, string Name, long Size, string? Sha256, DateTimeOffset LastModified)
{
    /// <summary>The reference a message carries for this blob (an empty hash when the store recorded none).</summary>
    public BlobReference ToReference() => new() { Container = Container, Name = Name, Sha256 = Sha256 ?? "", Size = Size };
}
