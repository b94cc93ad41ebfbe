using System.Text;
using System.Text.Json;
using Pipeline.Contracts.Storage;

namespace Pipeline.BlobStorage;

/// <summary>Conveniences for small blobs (JSON documents, manifests, reports).</summary>
public static class BlobStoreExtensions
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static async Task<BlobReference> WriteBytesAsync(this IBlobStore store, string container, string name, byte[] bytes, BlobWriteMode mode = BlobWriteMode.Overwrite, CancellationToken cancellationToken = default)
    {
        using var stream = new MemoryStream(bytes, writable: false);
        return await store.WriteAsync(container, name, stream, mode, cancellationToken);
    }

    public static Task<BlobReference> WriteTextAsync(this IBlobStore store, string container, string name, string text, BlobWriteMode mode = BlobWriteMode.Overwrite, CancellationToken cancellationToken = default)
        => store.WriteBytesAsync(container, name, Encoding.UTF8.GetBytes(text), mode, cancellationToken);

    public static Task<BlobReference> WriteJsonAsync<T>(this IBlobStore store, string container, string name, T value, BlobWriteMode mode = BlobWriteMode.Overwrite, CancellationToken cancellationToken = default)
        => store.WriteBytesAsync(container, name, JsonSerializer.SerializeToUtf8Bytes(value, Json), mode, cancellationToken);

    /// <summary>
    /// Creates a JSON blob unless one of that name exists: true for the one writer that created it, false
    /// for every other (the claims, done markers and landed markers that make a step happen once).
    /// </summary>
    public static async Task<bool> TryCreateJsonAsync<T>(this IBlobStore store, string container, string name, T value, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.WriteJsonAsync(container, name, value, BlobWriteMode.CreateNew, cancellationToken);
            return true;
        }
        catch (BlobAlreadyExistsException)
        {
            return false;
        }
    }

    /// <summary>How many blobs lie under a prefix (the fan-in counts of done markers).</summary>
    public static async Task<int> CountAsync(this IBlobStore store, string container, string prefix, CancellationToken cancellationToken = default)
    {
        var count = 0;
        await foreach (var _ in store.ListAsync(container, prefix, cancellationToken)) count++;
        return count;
    }

    public static async Task<byte[]> ReadBytesAsync(this IBlobStore store, string container, string name, CancellationToken cancellationToken = default)
    {
        await using var stream = await store.OpenReadAsync(container, name, cancellationToken);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }

    public static async Task<T> ReadJsonAsync<T>(this IBlobStore store, string container, string name, CancellationToken cancellationToken = default)
    {
        await using var stream = await store.OpenReadAsync(container, name, cancellationToken);
        return await JsonSerializer.DeserializeAsync<T>(stream, Json, cancellationToken)
            ?? throw new InvalidDataException($"Blob '{container}/{name}' holds JSON null.");
    }

    public static Task<Stream> OpenReadAsync(this IBlobStore store, BlobReference blob, CancellationToken cancellationToken = default)
        => store.OpenReadAsync(blob.Container, blob.Name, cancellationToken);
}
