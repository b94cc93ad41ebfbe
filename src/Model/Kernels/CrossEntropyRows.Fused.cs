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
    /// into it. Logits and gradient are bfloat16 when their flag says so, float32 otherwise.
    /// </summary>
    public static void LossAndGradient(void* logits, bool bfloat16Logits, long* targets, long ignoreIndex, double* partLosses,
        float scale, void* gradient, bool bfloat16Gradient, long rows, int vocab, int threads)
    {
        var job = new FusedJob
        {
            Logits = logits, BFloat16Logits = bfloat16Logits, Targets = targets, IgnoreIndex = ignoreIndex, PartLosses = partLosses,
            Scale = scale, Gradient = gradient, BFloat16Gradient = bfloat16Gradient, Rows = rows, Vocab = vocab,
        };
        KernelThreads.RunParts(rows, RowsPerPart, rows * vocab, threads, &LossAndGradientPart, &job);
    }

    private struct FusedJob
    {
        public void* Logits;
        public bool BFloat16Logits;
        public long* Targets;
        public long IgnoreIndex;
        public double* PartLosses;
        public float Scale;
        public void* Gradient;
        public bool BFloat16Gradient;
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
        var vocab = job.Vocab;
        if (scratch is null || scratch.Length < vocab) scratch = new float[vocab];
        var loss = 0.0;
        fixed (float* work = scratch)
        {
            for (var r = first; r < end; r++)
            {
                var target = job.Targets[r];
                var gradientRow = job.Gradient is null ? null : (byte*)job.Gradient + r * vocab * (job.BFloat16Gradient ? 2L : 4L);
                if (target == job.IgnoreIndex)
                {
                    if (gradientRow is not null) new Span<byte>(gradientRow, vocab * (job.BFloat16Gradient ? 2 : 4)).Clear();
                    continue;
                }
                // float32 logits are read in place; bfloat16 ones are widened first (exactly: a bfloat16 is a float's upper half).
                var row = job.BFloat16Logits ? Widen((ushort*)job.Logits + r * vocab, work, vocab) : (float*)job.Logits + r * vocab;
                var max = Max(row, vocab);
                var logSumExp = max + MathF.Log(SumOfExp(row, max, vocab));
                loss += logSumExp - row[target];
                if (gradientRow is null) continue;
                // A float32 gradient is written in place; a bfloat16 one goes through the scratch row and is rounded once.
                var output = job.BFloat16Gradient ? work : (float*)gradientRow;
                ScaledSoftmax(row, logSumExp, job.Scale, output, vocab);
                output[target] -= job.Scale;
                if (job.BFloat16Gradient) Narrow(work, (ushort*)gradientRow, vocab);
            }
        }
        job.PartLosses[part] = loss;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float* Widen(ushort* source, float* destination, int n)
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
            for (; i <= n - 8; i += 8) Vector256.Store(BFloat16Lanes.Load(source, i, bfloat16: true), destination + i);
        for (; i < n; i++) destination[i] = BFloat16Lanes.Read(source, i, bfloat16: true);
        return destination;
    }

    /// <summary>Rounds to nearest even (NaN stays NaN), as <see cref="BFloat16Lanes.Store"/>; 16 lanes at a time where the CPU has them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Narrow(float* source, ushort* destination, int n)
    {
        var i = 0;
        if (Avx512F.IsSupported)
        {
            var (half, one, quietNaN) = (Vector512.Create(0x7FFFu), Vector512<uint>.One, Vector512.Create(0x7FC0u));
            for (; i <= n - 16; i += 16)
            {
                var values = Vector512.Load(source + i);
                var bits = values.AsUInt32();
                var rounded = (bits + half + ((bits >> 16) & one)) >> 16;
                rounded = Vector512.ConditionalSelect(Vector512.Equals(values, values).AsUInt32(), rounded, quietNaN);
                Avx512F.ConvertToVector256UInt16(rounded).Store(destination + i);
            }
        }
        if (Vector256.IsHardwareAccelerated)
            for (; i <= n - 8; i += 8) BFloat16Lanes.Store(destination, i, Vector256.Load(source + i), bfloat16: true);
        for (; i < n; i++) BFloat16Lanes.Write(destination, i, source[i], bfloat16: true);
    }
}
