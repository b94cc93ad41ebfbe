using System.Buffers;
using System.Security.Cryptography;

namespace Pipeline.BlobStorage;

/// <summary>Copies a stream chunk by chunk while computing its SHA-256, so large blobs never sit in memory.</summary>
internal static class HashingCopy
{
    public const int ChunkSize = 4 * 1024 * 1024;

    public static async Task<(string Sha256, long Size)> CopyAsync(Stream source, Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> sink, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        long size = 0;
        try
        {
            while (true)
            {
                var filled = await FillAsync(source, buffer, cancellationToken);
                if (filled == 0) break;
                hash.AppendData(buffer, 0, filled);
                await sink(buffer.AsMemory(0, filled), cancellationToken);
                size += filled;
                if (filled < ChunkSize) break;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return (Convert.ToHexStringLower(hash.GetHashAndReset()), size);
    }

    private static async Task<int> FillAsync(Stream source, byte[] buffer, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < ChunkSize)
        {
            var read = await source.ReadAsync(buffer.AsMemory(filled, ChunkSize - filled), cancellationToken);
            if (read == 0) break;
            filled += read;
        }
        return filled;
    }
}
