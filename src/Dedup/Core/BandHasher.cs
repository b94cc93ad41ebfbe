using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace Pipeline.Dedup.Core;

/// <summary>
/// Hashes each band (r consecutive signature slots) to 64 bits, seeded by the band index so equal
/// slot values in different bands never share a bucket. Bucket keys stay stable across runs, which
/// is what lets a persisted index from an earlier batch be joined with a new one.
/// </summary>
public sealed class BandHasher(LshParameters lsh)
{
    public LshParameters Lsh { get; } = lsh;

    public ulong Hash(ReadOnlySpan<uint> signature, int band)
        => XxHash3.HashToUInt64(MemoryMarshal.AsBytes(signature.Slice(band * Lsh.Rows, Lsh.Rows)), band);

    public void HashAll(ReadOnlySpan<uint> signature, Span<ulong> bands)
    {
        for (var band = 0; band < Lsh.Bands; band++) bands[band] = Hash(signature, band);
    }
}
