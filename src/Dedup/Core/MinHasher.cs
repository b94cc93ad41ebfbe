using System.Runtime.Intrinsics;

namespace Pipeline.Dedup.Core;

/// <summary>
/// MinHash over 64-bit shingle hashes. Permutation i is the multiply-shift family
/// <c>h_i(x) = (a_i * x + b_i) mod 2^64</c> with odd <c>a_i</c> (Dietzfelbinger), whose top bits are a
/// universal hash of the 64-bit input; the minimum is taken over the full 64-bit value and its top
/// 32 bits are stored, halving signature memory with a collision chance of 2^-32 per slot.
/// Parameters come from SplitMix64 of the seed, so signatures are identical across runs and machines.
/// The inner loop runs a block of permutations against every shingle in 512- or 256-bit lanes, so a
/// block's minima, multipliers and offsets stay in registers.
/// </summary>
public sealed class MinHasher
{
    private readonly ulong[] _a;
    private readonly ulong[] _b;

    public MinHasher(int permutations, ulong seed = 0x11A3A2)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(permutations, 1);
        Permutations = permutations;
        Seed = seed;
        // Padded to a multiple of 8 lanes so the vector loops never need a scalar tail.
        var padded = (permutations + 7) / 8 * 8;
        _a = new ulong[padded];
        _b = new ulong[padded];
        var state = seed;
        for (var i = 0; i < padded; i++)
        {
            _a[i] = SplitMix64(ref state) | 1UL;
            _b[i] = SplitMix64(ref state);
        }
    }

    public int Permutations { get; }
    public ulong Seed { get; }

    /// <summary>Writes the signature of a shingle multiset; an empty set gets all-<see cref="uint.MaxValue"/>.</summary>
    public void Compute(ReadOnlySpan<ulong> shingles, Span<uint> signature)
    {
        if (signature.Length != Permutations) throw new ArgumentException($"Signature must have {Permutations} slots.", nameof(signature));
        Span<ulong> minima = _a.Length <= 1024 ? stackalloc ulong[_a.Length] : new ulong[_a.Length];
        if (Vector512.IsHardwareAccelerated) Compute512(shingles, minima);
        else if (Vector256.IsHardwareAccelerated) Compute256(shingles, minima);
        else ComputeScalar(shingles, minima);
        for (var i = 0; i < Permutations; i++) signature[i] = (uint)(minima[i] >> 32);
    }

    public uint[] Compute(ReadOnlySpan<ulong> shingles)
    {
        var signature = new uint[Permutations];
        Compute(shingles, signature);
        return signature;
    }

    private void Compute512(ReadOnlySpan<ulong> shingles, Span<ulong> minima)
    {
        for (var block = 0; block < _a.Length; block += 16)
        {
            if (block + 16 > _a.Length)
            {
                var a = Vector512.Create(_a.AsSpan(block, 8));
                var b = Vector512.Create(_b.AsSpan(block, 8));
                var min = Vector512<ulong>.AllBitsSet;
                foreach (var x in shingles) min = Vector512.Min(min, a * Vector512.Create(x) + b);
                min.CopyTo(minima[block..]);
                break;
            }
            var a0 = Vector512.Create(_a.AsSpan(block, 8));
            var b0 = Vector512.Create(_b.AsSpan(block, 8));
            var a1 = Vector512.Create(_a.AsSpan(block + 8, 8));
            var b1 = Vector512.Create(_b.AsSpan(block + 8, 8));
            var min0 = Vector512<ulong>.AllBitsSet;
            var min1 = Vector512<ulong>.AllBitsSet;
            foreach (var x in shingles)
            {
                var v = Vector512.Create(x);
                min0 = Vector512.Min(min0, a0 * v + b0);
                min1 = Vector512.Min(min1, a1 * v + b1);
            }
            min0.CopyTo(minima[block..]);
            min1.CopyTo(minima[(block + 8)..]);
        }
    }

    private void Compute256(ReadOnlySpan<ulong> shingles, Span<ulong> minima)
    {
        for (var block = 0; block < _a.Length; block += 8)
        {
            var a0 = Vector256.Create(_a.AsSpan(block, 4));
            var b0 = Vector256.Create(_b.AsSpan(block, 4));
            var a1 = Vector256.Create(_a.AsSpan(block + 4, 4));
            var b1 = Vector256.Create(_b.AsSpan(block + 4, 4));
            var min0 = Vector256<ulong>.AllBitsSet;
            var min1 = Vector256<ulong>.AllBitsSet;
            foreach (var x in shingles)
            {
                var v = Vector256.Create(x);
                min0 = Vector256.Min(min0, a0 * v + b0);
                min1 = Vector256.Min(min1, a1 * v + b1);
            }
            min0.CopyTo(minima[block..]);
            min1.CopyTo(minima[(block + 4)..]);
        }
    }

    private void ComputeScalar(ReadOnlySpan<ulong> shingles, Span<ulong> minima)
    {
        for (var i = 0; i < _a.Length; i++)
        {
            ulong min = ulong.MaxValue, a = _a[i], b = _b[i];
            foreach (var x in shingles) min = Math.Min(min, a * x + b);
            minima[i] = min;
        }
    }

    private static ulong SplitMix64(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }
}
