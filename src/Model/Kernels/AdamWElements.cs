using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Pipeline.Model.Kernels;

/// <summary>
/// One AdamW update of a float32 parameter in one pass over parameter, gradient and both moments,
/// shared between threads by chunks. TorchSharp's AdamW makes seven libtorch calls per parameter
/// (decay, two moment updates, sqrt, divide, add eps, addcdiv), each a pass with a temporary for the
/// denominator: 44-100 ms a step for the 7M benchmark model on the development VM.
/// </summary>
internal static unsafe class AdamWElements
{
    private const int ChunkElements = 32_768;

    /// <summary>The scalars of one step, as float32 like libtorch's ops on float tensors.</summary>
    public struct Coefficients
    {
        public float Decay;          // 1 - lr * weight_decay
        public float Beta1;
        public float OneMinusBeta1;
        public float Beta2;
        public float OneMinusBeta2;
        public float SqrtBiasCorrection2;
        public float Eps;
        public float NegativeStepSize; // -lr / bias_correction1
    }

    public static void Step(float* parameter, float* gradient, float* expAvg, float* expAvgSq, long count, in Coefficients c, int threads)
    {
        var job = new Job { Parameter = parameter, Gradient = gradient, ExpAvg = expAvg, ExpAvgSq = expAvgSq, Count = count, C = c };
        KernelThreads.RunParts(count, ChunkElements, count, threads, &StepPart, &job);
    }

    private struct Job
    {
        public float* Parameter;
        public float* Gradient;
        public float* ExpAvg;
        public float* ExpAvgSq;
        public long Count;
        public Coefficients C;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void StepPart(void* state, int part)
    {
        ref var job = ref *(Job*)state;
        ref var c = ref job.C;
        var (i, end) = KernelThreads.PartRange(part, ChunkElements, job.Count);
        if (Vector256.IsHardwareAccelerated)
        {
            var (decay, b1, b1c, b2, b2c) = (Vector256.Create(c.Decay), Vector256.Create(c.Beta1), Vector256.Create(c.OneMinusBeta1), Vector256.Create(c.Beta2), Vector256.Create(c.OneMinusBeta2));
            var (bias2, eps, step) = (Vector256.Create(c.SqrtBiasCorrection2), Vector256.Create(c.Eps), Vector256.Create(c.NegativeStepSize));
            for (; i <= end - 8; i += 8)
            {
                var g = Vector256.Load(job.Gradient + i);
                var m = Vector256.Load(job.ExpAvg + i) * b1 + g * b1c;
                var v = Vector256.Load(job.ExpAvgSq + i) * b2 + b2c * g * g;
                var p = Vector256.Load(job.Parameter + i) * decay;
                Vector256.Store(m, job.ExpAvg + i);
                Vector256.Store(v, job.ExpAvgSq + i);
                Vector256.Store(p + step * (m / (Vector256.Sqrt(v) / bias2 + eps)), job.Parameter + i);
            }
        }
        for (; i < end; i++)
        {
            var g = job.Gradient[i];
            var m = job.ExpAvg[i] * c.Beta1 + g * c.OneMinusBeta1;
            var v = job.ExpAvgSq[i] * c.Beta2 + c.OneMinusBeta2 * g * g;
            job.ExpAvg[i] = m;
            job.ExpAvgSq[i] = v;
            job.Parameter[i] = job.Parameter[i] * c.Decay + c.NegativeStepSize * (m / (MathF.Sqrt(v) / c.SqrtBiasCorrection2 + c.Eps));
        }
    }
}
