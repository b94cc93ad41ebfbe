using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Pipeline.Dedup.Core;

/// <summary>
/// MinHash over 64-bit shingle hashes. Each hash is folded to 32 bits x (XxHash output is uniform, so
/// the xor of its halves is too) and permutation i is <c>h_i(x) = (a_i * x + b_i) mod 2^32</c> with odd
/// <c>a_i</c>: a bijection of the 32-bit space whose high bits, which decide the minimum, are
/// Dietzfelbinger's multiply-shift hash. Signatures store the 32-bit minima (512 bytes for 128
/// permutations). Everything stays in 32-bit lanes because a 32-bit multiply is one instruction in
/// 512- and 256-bit vectors, where a 64-bit multiply is emulated and several times slower; a
/// 64-bit multiplier on a 32-bit key without wrap-around would keep the keys' order and make every
/// permutation the same one. Parameters come from SplitMix64 of the seed, so signatures are
/// identical across runs and machines. A block of permutations runs against every shingle so its
/// minima, multipliers and offsets stay in registers. The hot loops are compiled fully optimised
/// at once (AggressiveOptimization): tiered compilation would otherwise run a shard's first
/// seconds through unoptimised code.
/// </summary>
public sealed class MinHasher
{
    private readonly uint[] _a;
    private readonly uint[] _b;

    public MinHasher(int permutations, ulong seed = 0x11A3A2)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(permutations, 1);
        Permutations = permutations;
        Seed = seed;
        // Padded to a multiple of 32 lanes so the vector loops never need a scalar tail.
        var padded = (permutations + 31) / 32 * 32;
        _a = new uint[padded];
        _b = new uint[padded];
        var state = seed;
        for (var i = 0; i < padded; i++)
        {
            _a[i] = (uint)SplitMix64(ref state) | 1U;
            _b[i] = (uint)SplitMix64(ref state);
        }
    }

    public int Permutations { get; }
    public ulong Seed { get; }

    /// <summary>Writes the signature of a shingle multiset; an empty set gets all-<see cref="uint.MaxValue"/>.</summary>
    public void Compute(ReadOnlySpan<ulong> shingles, Span<uint> signature)
    {
        if (signature.Length != Permutations) throw new ArgumentException($"Signature must have {Permutations} slots.", nameof(signature));
        Span<uint> minima = _a.Length <= 1024 ? stackalloc uint[_a.Length] : new uint[_a.Length];
        Span<uint> folded = shingles.Length <= 4096 ? stackalloc uint[shingles.Length] : new uint[shingles.Length];
        for (var i = 0; i < shingles.Length; i++) folded[i] = Fold(shingles[i]);
        if (Vector512.IsHardwareAccelerated) Compute512(folded, minima);
        else if (Vector256.IsHardwareAccelerated) Compute256(folded, minima);
        else ComputeScalar(folded, minima);
        minima[..Permutations].CopyTo(signature);
    }

    public uint[] Compute(ReadOnlySpan<ulong> shingles)
    {
        var signature = new uint[Permutations];
        Compute(shingles, signature);
        return signature;
    }

    internal static uint Fold(ulong hash) => (uint)(hash ^ (hash >> 32));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Compute512(ReadOnlySpan<uint> shingles, Span<uint> minima)
    {
        for (var block = 0; block < _a.Length; block += 32)
        {
            var a0 = Vector512.Create(_a.AsSpan(block, 16));
            var b0 = Vector512.Create(_b.AsSpan(block, 16));
            var a1 = Vector512.Create(_a.AsSpan(block + 16, 16));
            var b1 = Vector512.Create(_b.AsSpan(block + 16, 16));
            var min0 = Vector512<uint>.AllBitsSet;
            var min1 = Vector512<uint>.AllBitsSet;
            foreach (var x in shingles)
            {
                var v = Vector512.Create(x);
                min0 = Vector512.Min(min0, a0 * v + b0);
                min1 = Vector512.Min(min1, a1 * v + b1);
            }
            min0.CopyTo(minima[block..]);
            min1.CopyTo(minima[(block + 16)..]);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Compute256(ReadOnlySpan<uint> shingles, Span<uint> minima)
    {
        for (var block = 0; block < _a.Length; block += 16)
        {
            var a0 = Vector256.Create(_a.AsSpan(block, 8));
            var b0 = Vector256.Create(_b.AsSpan(block, 8));
            var a1 = Vector256.Create(_a.AsSpan(block + 8, 8));
            var b1 = Vector256.Create(_b.AsSpan(block + 8, 8));
            var min0 = Vector256<uint>.AllBitsSet;
            var min1 = Vector256<uint>.AllBitsSet;
            foreach (var x in shingles)
            {
                var v = Vector256.Create(x);
                min0 = Vector256.Min(min0, a0 * v + b0);
                min1 = Vector256.Min(min1, a1 * v + b1);
            }
            min0.CopyTo(minima[block..]);
            min1.CopyTo(minima[(block + 8)..]);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ComputeScalar(ReadOnlySpan<uint> shingles, Span<uint> minima)
    {
        for (var i = 0; i < _a.Length; i++)
        {
            uint min = uint.MaxValue, a = _a[i], b = _b[i];
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
