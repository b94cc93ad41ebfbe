using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Pipeline.Model.Kernels;

/// <summary>
/// The loss and the logits' gradient in one call, for <see cref="FusedLinearCrossEntropy"/>: it takes a
/// block of rows just projected (float32 or bfloat16, as the LM head's matmul left them) and writes
/// the gradient in the dtype the backward matmuls take, so neither float32 logits for the whole
/// batch nor a separate cast pass ever exist. Each row is widened into a float32 scratch row and goes
/// through the same <see cref="Max"/>, <see cref="SumOfExp"/> and <see cref="ScaledSoftmax"/> as
/// <see cref="Forward"/> and <see cref="Backward"/>, so losses and gradients equal theirs bit for bit.
/// </summary>
internal static unsafe partial class CrossEntropyRows
{
    /// <summary>
    /// As <see cref="Forward"/> (partLosses gets one sum per part of <see cref="Parts"/>) and, when
    /// <paramref name="gradient"/> is not null, as <see cref="Backward"/> with <paramref name="scale"/>
    /// into it. Logits and gradient are both bfloat16 or both float32 (the LM head matmul's dtype).
    /// </summary>
    public static void LossAndGradient(void* logits, long* targets, long ignoreIndex, double* partLosses,
        float scale, void* gradient, bool bfloat16, long rows, int vocab, int threads)
    {
        var job = new FusedJob
        {
            Logits = logits, Targets = targets, IgnoreIndex = ignoreIndex, PartLosses = partLosses,
            Scale = scale, Gradient = gradient, BFloat16 = bfloat16, Rows = rows, Vocab = vocab,
        };
        KernelThreads.RunParts(rows, RowsPerPart, rows * vocab, threads, &LossAndGradientPart, &job);
    }

    private struct FusedJob
    {
        public void* Logits;
        public long* Targets;
        public long IgnoreIndex;
        public double* PartLosses;
        public float Scale;
        public void* Gradient;
        public bool BFloat16;
        public long Rows;
        public int Vocab;
    }

    /// <summary>One float32 row per thread for widened logits and the gradient before narrowing.</summary>
    [ThreadStatic] private static float[]? scratch;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void LossAndGradientPart(void* state, int part)
    {
        ref var job = ref *(FusedJob*)state;
        var (first, end) = KernelThreads.PartRange(part, RowsPerPart, job.Rows);
        var (vocab, bf16) = (job.Vocab, job.BFloat16);
        var rowBytes = (long)vocab * BFloat16Lanes.ElementBytes(bf16);
        if (scratch is null || scratch.Length < vocab) scratch = new float[vocab];
        var loss = 0.0;
        fixed (float* work = scratch)
        {
            for (var r = first; r < end; r++)
            {
                var target = job.Targets[r];
                var gradientRow = job.Gradient is null ? null : (byte*)job.Gradient + r * rowBytes;
                if (target == job.IgnoreIndex)
                {
                    if (gradientRow is not null) new Span<byte>(gradientRow, (int)rowBytes).Clear();
                    continue;
                }
                // float32 logits are read in place; bfloat16 ones are widened first (exactly: a bfloat16 is a float's upper half).
                var row = bf16 ? Widen((ushort*)job.Logits + r * vocab, work, vocab) : (float*)job.Logits + r * vocab;
                var max = Max(row, vocab);
                var logSumExp = max + MathF.Log(SumOfExp(row, max, vocab));
                loss += logSumExp - row[target];
                if (gradientRow is null) continue;
                // A float32 gradient is written in place; a bfloat16 one goes through the scratch row and is rounded once.
                var output = bf16 ? work : (float*)gradientRow;
                ScaledSoftmax(row, logSumExp, job.Scale, output, vocab);
                output[target] -= job.Scale;
                if (bf16) Narrow(work, (ushort*)gradientRow, vocab);
            }
        }
        job.PartLosses[part] = loss;
    }

    /// <summary>bfloat16 to float32 (exact), 16 lanes at a time where the CPU has AVX-512.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float* Widen(ushort* source, float* destination, int n)
    {
        var i = 0;
        if (Avx512F.IsSupported)
            for (; i <= n - 16; i += 16) Vector512.Store(BFloat16Lanes.Load16(source, i, bfloat16: true), destination + i);
        if (Vector256.IsHardwareAccelerated)
            for (; i <= n - 8; i += 8) Vector256.Store(BFloat16Lanes.Load(source, i, bfloat16: true), destination + i);
        for (; i < n; i++) destination[i] = BFloat16Lanes.Read(source, i, bfloat16: true);
        return destination;
    }

    /// <summary>float32 to bfloat16, rounded to nearest even as <see cref="BFloat16Lanes"/> rounds.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Narrow(float* source, ushort* destination, int n)
    {
        var i = 0;
        if (Avx512F.IsSupported)
            for (; i <= n - 16; i += 16) BFloat16Lanes.Store16(destination, i, Vector512.Load(source + i), bfloat16: true);
        if (Vector256.IsHardwareAccelerated)
            for (; i <= n - 8; i += 8) BFloat16Lanes.Store(destination, i, Vector256.Load(source + i), bfloat16: true);
        for (; i < n; i++) BFloat16Lanes.Write(destination, i, source[i], bfloat16: true);
    }
}
