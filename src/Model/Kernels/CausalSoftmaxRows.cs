using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Pipeline.Model.Kernels;

/// <summary>
/// Causal softmax over rows of attention scores [B * H * T, T] (float32 or bfloat16, in place), and
/// its backward pass, for <see cref="FusedCausalAttention"/>. Row r is query position i = r mod T:
/// it sees keys 0..i, and the keys after it get probability (and gradient) 0. Arithmetic is float32
/// whatever the storage; bfloat16 is widened on reading and rounded to nearest even on writing.
/// Sixteen lanes at a time where the CPU has AVX-512, then eight, then one.
/// </summary>
internal static unsafe class CausalSoftmaxRows
{
    private const int RowsPerPart = 64;

    /// <summary>scores[r, j] = softmax_j(scores[r, j] * scale) over j &lt;= r mod T, 0 after.</summary>
    public static void Forward(void* scores, bool bfloat16, float scale, long rows, int keys, int threads)
    {
        var job = new Job { Scores = scores, BFloat16 = bfloat16, Scale = scale, Rows = rows, Keys = keys };
        KernelThreads.RunParts(rows, RowsPerPart, rows * keys, threads, &ForwardPart, &job);
    }

    /// <summary>
    /// Given the probabilities p and their gradient dp (overwritten): dp[r, j] = p[r, j] * (dp[r, j] -
    /// sum_k p[r, k] dp[r, k]) * scale, the gradient of the scores before scaling.
    /// </summary>
    public static void Backward(void* probabilities, void* gradient, bool bfloat16, float scale, long rows, int keys, int threads)
    {
        var job = new Job { Scores = probabilities, Gradient = gradient, BFloat16 = bfloat16, Scale = scale, Rows = rows, Keys = keys };
        KernelThreads.RunParts(rows, RowsPerPart, rows * keys, threads, &BackwardPart, &job);
    }

    private struct Job
    {
        public void* Scores;
        public void* Gradient;
        public bool BFloat16;
        public float Scale;
        public long Rows;
        public int Keys;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardPart(void* state, int part)
    {
        ref var job = ref *(Job*)state;
        var (first, end) = KernelThreads.PartRange(part, RowsPerPart, job.Rows);
        var (bf, keys, scale) = (job.BFloat16, job.Keys, job.Scale);
        var rowBytes = (long)keys * BFloat16Lanes.ElementBytes(bf);
        for (var r = first; r < end; r++)
        {
            var row = (byte*)job.Scores + r * rowBytes;
            var seen = (int)(r % keys) + 1;
            // The largest scaled score, then the sum of exponentials, then the normalised probabilities.
            var max = Max(row, bf, seen) * scale;
            var sum = SumOfExp(row, bf, scale, max, seen);
            Normalise(row, bf, scale, max, 1f / sum, seen, keys);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float Max(byte* row, bool bf, int n)
    {
        var (i, max) = (0, float.NegativeInfinity);
        if (Avx512F.IsSupported && n >= 16)
        {
            var maxes = Vector512.Create(float.NegativeInfinity);
            for (; i <= n - 16; i += 16) maxes = Vector512.MaxNative(maxes, BFloat16Lanes.Load16(row, i, bf));
            for (var k = 0; k < 16; k++) max = MathF.Max(max, maxes[k]);
        }
        if (Vector256.IsHardwareAccelerated && i <= n - 8)
        {
            var maxes = Vector256.Create(float.NegativeInfinity);
            for (; i <= n - 8; i += 8) maxes = Vector256.MaxNative(maxes, BFloat16Lanes.Load(row, i, bf));
            for (var k = 0; k < 8; k++) max = MathF.Max(max, maxes[k]);
        }
        for (; i < n; i++) max = MathF.Max(max, BFloat16Lanes.Read(row, i, bf));
        return max;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float SumOfExp(byte* row, bool bf, float scale, float max, int n)
    {
        var (i, sum) = (0, 0f);
        if (Avx512F.IsSupported && n >= 16)
        {
            var (sums, factor, shift) = (Vector512<float>.Zero, Vector512.Create(scale), Vector512.Create(max));
            for (; i <= n - 16; i += 16) sums += FastExp.Exp(BFloat16Lanes.Load16(row, i, bf) * factor - shift);
            sum = Vector512.Sum(sums);
        }
        if (Vector256.IsHardwareAccelerated && i <= n - 8)
        {
            var (sums, factor, shift) = (Vector256<float>.Zero, Vector256.Create(scale), Vector256.Create(max));
            for (; i <= n - 8; i += 8) sums += FastExp.Exp(BFloat16Lanes.Load(row, i, bf) * factor - shift);
            sum += Vector256.Sum(sums);
        }
        for (; i < n; i++) sum += MathF.Exp(BFloat16Lanes.Read(row, i, bf) * scale - max);
        return sum;
    }

    /// <summary>Writes exp(s * scale - max) * inverseSum over the seen keys (recomputing the exponentials: a bfloat16 row cannot hold them unrounded) and zeros after.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Normalise(byte* row, bool bf, float scale, float max, float inverseSum, int seen, int keys)
    {
        var i = 0;
        if (Avx512F.IsSupported)
        {
            var (factor, shift, norm) = (Vector512.Create(scale), Vector512.Create(max), Vector512.Create(inverseSum));
            for (; i <= seen - 16; i += 16) BFloat16Lanes.Store16(row, i, FastExp.Exp(BFloat16Lanes.Load16(row, i, bf) * factor - shift) * norm, bf);
        }
        if (Vector256.IsHardwareAccelerated)
        {
            var (factor, shift, norm) = (Vector256.Create(scale), Vector256.Create(max), Vector256.Create(inverseSum));
            for (; i <= seen - 8; i += 8) BFloat16Lanes.Store(row, i, FastExp.Exp(BFloat16Lanes.Load(row, i, bf) * factor - shift) * norm, bf);
        }
        for (; i < seen; i++) BFloat16Lanes.Write(row, i, MathF.Exp(BFloat16Lanes.Read(row, i, bf) * scale - max) * inverseSum, bf);
        var elementBytes = BFloat16Lanes.ElementBytes(bf);
        new Span<byte>(row + (long)seen * elementBytes, (keys - seen) * elementBytes).Clear();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BackwardPart(void* state, int part)
    {
        ref var job = ref *(Job*)state;
        var (first, end) = KernelThreads.PartRange(part, RowsPerPart, job.Rows);
        var (bf, keys, scale) = (job.BFloat16, job.Keys, job.Scale);
        long elementBytes = BFloat16Lanes.ElementBytes(bf);
        for (var r = first; r < end; r++)
        {
            var p = (byte*)job.Scores + r * keys * elementBytes;
            var g = (byte*)job.Gradient + r * keys * elementBytes;
            var seen = (int)(r % keys) + 1;
            var dot = Dot(p, g, bf, seen);
            var i = 0;
            if (Avx512F.IsSupported)
            {
                var (shift, factor) = (Vector512.Create(dot), Vector512.Create(scale));
                for (; i <= seen - 16; i += 16)
                    BFloat16Lanes.Store16(g, i, BFloat16Lanes.Load16(p, i, bf) * (BFloat16Lanes.Load16(g, i, bf) - shift) * factor, bf);
            }
            if (Vector256.IsHardwareAccelerated)
            {
                var (shift, factor) = (Vector256.Create(dot), Vector256.Create(scale));
                for (; i <= seen - 8; i += 8)
                    BFloat16Lanes.Store(g, i, BFloat16Lanes.Load(p, i, bf) * (BFloat16Lanes.Load(g, i, bf) - shift) * factor, bf);
            }
            for (; i < seen; i++) BFloat16Lanes.Write(g, i, BFloat16Lanes.Read(p, i, bf) * (BFloat16Lanes.Read(g, i, bf) - dot) * scale, bf);
            new Span<byte>(g + seen * elementBytes, (int)((keys - seen) * elementBytes)).Clear();
        }
    }

    /// <summary>sum_k p[k] g[k] over the first n elements.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float Dot(byte* p, byte* g, bool bf, int n)
    {
        var (i, dot) = (0, 0f);
        if (Avx512F.IsSupported && n >= 16)
        {
            var dots = Vector512<float>.Zero;
            for (; i <= n - 16; i += 16) dots = Vector512.FusedMultiplyAdd(BFloat16Lanes.Load16(p, i, bf), BFloat16Lanes.Load16(g, i, bf), dots);
            dot = Vector512.Sum(dots);
        }
        if (Vector256.IsHardwareAccelerated && i <= n - 8)
        {
            var dots = Vector256<float>.Zero;
            for (; i <= n - 8; i += 8) dots = Vector256.FusedMultiplyAdd(BFloat16Lanes.Load(p, i, bf), BFloat16Lanes.Load(g, i, bf), dots);
            dot += Vector256.Sum(dots);
        }
        for (; i < n; i++) dot += BFloat16Lanes.Read(p, i, bf) * BFloat16Lanes.Read(g, i, bf);
        return dot;
    }
}
