using Pipeline.BlobStorage;

namespace Pipeline.Dedup.Staged;

/// <summary>Small binary artifacts: built in memory, written atomically; read back as a buffered stream.</summary>
public static class BinaryBlob
{
    public static async Task WriteAsync(IBlobStore store, string container, string name, Action<BinaryWriter> write, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true)) write(writer);
        buffer.Position = 0;
        await store.WriteAsync(container, name, buffer, BlobWriteMode.Overwrite, cancellationToken);
    }

    public static async Task<BinaryReader> OpenAsync(IBlobStore store, string container, string name, CancellationToken cancellationToken)
    {
        var stream = await store.OpenReadAsync(container, name, cancellationToken);
        return new BinaryReader(new BufferedStream(stream, 1 << 16));
    }
}
