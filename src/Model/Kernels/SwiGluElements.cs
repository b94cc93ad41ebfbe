using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Pipeline.Model.Kernels;

/// <summary>
/// SwiGLU, silu(gate) * up, forward and backward over flat float32 or bfloat16 arrays, one pass each,
/// shared between threads by chunks. Through libtorch the pair is two ops forward (silu, mul) and
/// three backward (two muls, silu_backward) over the [tokens, intermediate] activations, each with a
/// temporary. Loops run in 512-bit vectors where the CPU has AVX-512, with sigmoid's division
/// replaced by the 14-bit reciprocal estimate and one Newton step (a 512-bit division is no faster
/// per element than a 256-bit one, and it was the loop's slowest instruction); elsewhere in
/// 256-bit vectors with the division. Compiled optimized at once, as in <see cref="RmsNormRows"/>.
/// </summary>
internal static unsafe class SwiGluElements
{
    /// <summary>Elements per part: big enough to amortise a hand-off, small enough to share a layer's activations.</summary>
    private const int ChunkElements = 16_384;

    /// <summary>output = silu(gate) * up; all float32, or all bfloat16 (read as ushort bits) when <paramref name="bfloat16"/>.</summary>
    public static void Forward(void* gate, void* up, void* output, long count, bool bfloat16, int threads)
    {
        var job = new Job { Gate = gate, Up = up, Output = output, Count = count, BFloat16 = bfloat16 };
        KernelThreads.RunParts(count, ChunkElements, count, threads, &ForwardPart, &job);
    }

    /// <summary>
    /// Given dh = d(loss)/d(output): dgate = dh * up * sigmoid(gate) * (1 + gate * (1 - sigmoid(gate))),
    /// dup = dh * silu(gate).
    /// </summary>
    public static void Backward(void* gate, void* up, void* gradOutput, void* gradGate, void* gradUp, long count, bool bfloat16, int threads)
    {
        var job = new Job { Gate = gate, Up = up, GradOutput = gradOutput, GradGate = gradGate, GradUp = gradUp, Count = count, BFloat16 = bfloat16 };
        KernelThreads.RunParts(count, ChunkElements, count, threads, &BackwardPart, &job);
    }

    private struct Job
    {
        public void* Gate;
        public void* Up;
        public void* Output;
        public void* GradOutput;
        public void* GradGate;
        public void* GradUp;
        public long Count;
        public bool BFloat16;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardPart(void* state, int part)
    {
        ref var job = ref *(Job*)state;
        var (i, end) = KernelThreads.PartRange(part, ChunkElements, job.Count);
        if (Avx512F.IsSupported)
            for (; i <= end - 16; i += 16)
            {
                var g = BFloat16Lanes.Load16(job.Gate, i, job.BFloat16);
                BFloat16Lanes.Store16(job.Output, i, g * Sigmoid(g) * BFloat16Lanes.Load16(job.Up, i, job.BFloat16), job.BFloat16);
            }
        if (Vector256.IsHardwareAccelerated)
            for (; i <= end - 8; i += 8)
            {
                var g = BFloat16Lanes.Load(job.Gate, i, job.BFloat16);
                BFloat16Lanes.Store(job.Output, i, g / (Vector256<float>.One + FastExp.Exp(-g)) * BFloat16Lanes.Load(job.Up, i, job.BFloat16), job.BFloat16);
            }
        for (; i < end; i++)
        {
            var g = BFloat16Lanes.Read(job.Gate, i, job.BFloat16);
            BFloat16Lanes.Write(job.Output, i, g / (1f + MathF.Exp(-g)) * BFloat16Lanes.Read(job.Up, i, job.BFloat16), job.BFloat16);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BackwardPart(void* state, int part)
    {
        ref var job = ref *(Job*)state;
        var (i, end) = KernelThreads.PartRange(part, ChunkElements, job.Count);
        if (Avx512F.IsSupported)
            for (; i <= end - 16; i += 16)
            {
                var g = BFloat16Lanes.Load16(job.Gate, i, job.BFloat16);
                var dh = BFloat16Lanes.Load16(job.GradOutput, i, job.BFloat16);
                var sigmoid = Sigmoid(g);
                var silu = g * sigmoid;
                BFloat16Lanes.Store16(job.GradUp, i, dh * silu, job.BFloat16);
                BFloat16Lanes.Store16(job.GradGate, i, dh * BFloat16Lanes.Load16(job.Up, i, job.BFloat16) * (sigmoid + silu * (Vector512<float>.One - sigmoid)), job.BFloat16);
            }
        if (Vector256.IsHardwareAccelerated)
            for (; i <= end - 8; i += 8)
            {
                var g = BFloat16Lanes.Load(job.Gate, i, job.BFloat16);
                var dh = BFloat16Lanes.Load(job.GradOutput, i, job.BFloat16);
                var sigmoid = Vector256<float>.One / (Vector256<float>.One + FastExp.Exp(-g));
                var silu = g * sigmoid;
                BFloat16Lanes.Store(job.GradUp, i, dh * silu, job.BFloat16);
                BFloat16Lanes.Store(job.GradGate, i, dh * BFloat16Lanes.Load(job.Up, i, job.BFloat16) * (sigmoid + silu * (Vector256<float>.One - sigmoid)), job.BFloat16);
            }
        for (; i < end; i++)
        {
            var g = BFloat16Lanes.Read(job.Gate, i, job.BFloat16);
            var dh = BFloat16Lanes.Read(job.GradOutput, i, job.BFloat16);
            var sigmoid = 1f / (1f + MathF.Exp(-g));
            var silu = g * sigmoid;
            BFloat16Lanes.Write(job.GradUp, i, dh * silu, job.BFloat16);
            BFloat16Lanes.Write(job.GradGate, i, dh * BFloat16Lanes.Read(job.Up, i, job.BFloat16) * (sigmoid + silu * (1f - sigmoid)), job.BFloat16);
        }
    }

    /// <summary>1 / (1 + e^-g): the reciprocal estimate (relative error 2^-14) refined by one Newton step to about float precision.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Sigmoid(Vector512<float> g)
    {
        var denominator = Vector512<float>.One + FastExp.Exp(-g);
        var estimate = Avx512F.Reciprocal14(denominator);
        return Vector512.FusedMultiplyAdd(estimate, Vector512.FusedMultiplyAdd(-denominator, estimate, Vector512<float>.One), estimate);
    }
}
