using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Pipeline.Model.Kernels;

/// <summary>
/// RMSNorm forward and backward over rows of float32, two passes over a row each, shared between
/// threads by blocks of rows. Through libtorch the same norm is six ops forward and about ten
/// backward, each a full pass over the activations with a temporary: a training step of the 7M model
/// runs 13 norms over [2048, 256] and spent ~10 % of its time in them (3.5-4.6 ms per norm forward
/// and backward on the development CPU). The loops are written with Vector512 / Vector256 directly:
/// TensorPrimitives' calls on rows of 256 floats measured ten times slower here (2.9 against 0.25 ms
/// for the forward pass over 2048 rows). The loops are compiled optimized at once: a training run calls
/// them a few hundred times, too few for tiered compilation to leave its slow first tier soon.
/// </summary>
internal static unsafe class RmsNormRows
{
    /// <summary>
    /// The vector width the loops use: 512 or 256 bits where the CPU has them, 0 for plain scalar
    /// loops. Settable so tests cover every path on one machine.
    /// </summary>
    internal static int VectorBits { get; set; } = Vector512.IsHardwareAccelerated ? 512 : Vector256.IsHardwareAccelerated ? 256 : 0;

    /// <summary>Rows per part: enough work per hand-off, yet parts for both threads on a small batch.</summary>
    private const int RowsPerPart = 64;

    /// <summary>
    /// output[r] = x[r] * rstd[r] * weight with rstd[r] = 1 / sqrt(mean(x[r]^2) + eps); the rstd of
    /// every row is written to <paramref name="rstd"/> for the backward pass.
    /// </summary>
    public static void Forward(float* x, float* weight, float* output, float* rstd, long rows, int size, float eps, int threads)
    {
        var job = new Job { X = x, Weight = weight, Output = output, Rstd = rstd, Rows = rows, Size = size, Eps = eps };
        KernelThreads.RunParts(rows, RowsPerPart, rows * size, threads, &ForwardPart, &job);
    }

    /// <summary>
    /// Given dy, writes dx = rstd * g - x * rstd^3 * mean(g * x), g = dy * weight, for every row, and
    /// adds each part's sum over its rows of dy * x * rstd (the weight's gradient) into its own row of
    /// <paramref name="weightGradParts"/> ([Parts(rows), size], zeroed by the caller). The caller sums
    /// those rows in order, so the result does not depend on which thread ran which part.
    /// </summary>
    public static void Backward(float* x, float* weight, float* rstd, float* gradOutput, float* gradInput, float* weightGradParts,
        long rows, int size, int threads)
    {
        var job = new Job { X = x, Weight = weight, Rstd = rstd, GradOutput = gradOutput, Output = gradInput, WeightGradParts = weightGradParts, Rows = rows, Size = size };
        KernelThreads.RunParts(rows, RowsPerPart, rows * size, threads, &BackwardPart, &job);
    }

    /// <summary>How many parts (and rows of partial weight gradients, see <see cref="Backward"/>) a call over <paramref name="rows"/> has.</summary>
    public static int Parts(long rows) => KernelThreads.PartCount(rows, RowsPerPart);

    private struct Job
    {
        public float* X;
        public float* Weight;
        public float* Output;
        public float* Rstd;
        public float* GradOutput;
        public float* WeightGradParts;
        public long Rows;
        public int Size;
        public float Eps;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardPart(void* state, int part)
    {
        ref var job = ref *(Job*)state;
        var (first, end) = KernelThreads.PartRange(part, RowsPerPart, job.Rows);
        for (var r = first; r < end; r++)
        {
            var x = job.X + r * job.Size;
            var scale = 1f / MathF.Sqrt(SumOfSquares(x, job.Size) / job.Size + job.Eps);
            job.Rstd[r] = scale;
            ScaleTimes(x, scale, job.Weight, job.Output + r * job.Size, job.Size);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BackwardPart(void* state, int part)
    {
        ref var job = ref *(Job*)state;
        var weightGrad = job.WeightGradParts + (long)part * job.Size;
        var (first, end) = KernelThreads.PartRange(part, RowsPerPart, job.Rows);
        for (var r = first; r < end; r++)
        {
            var offset = r * job.Size;
            var rstd = job.Rstd[r];
            var dot = AccumulateAndDot(job.X + offset, job.GradOutput + offset, job.Weight, rstd, weightGrad, job.Size);
            InputGradient(job.X + offset, job.GradOutput + offset, job.Weight, rstd, rstd * rstd * rstd * dot / job.Size, job.Output + offset, job.Size);
        }
    }

    /// <summary>sum of x[i]^2.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float SumOfSquares(float* x, int n)
    {
        var i = 0;
        var sum = 0f;
        if (VectorBits == 512 && n >= 16)
        {
            var acc = Vector512<float>.Zero;
            for (; i <= n - 16; i += 16) { var v = Vector512.Load(x + i); acc = Vector512.FusedMultiplyAdd(v, v, acc); }
            sum = Vector512.Sum(acc);
        }
        else if (VectorBits >= 256 && n >= 8)
        {
            var acc = Vector256<float>.Zero;
            for (; i <= n - 8; i += 8) { var v = Vector256.Load(x + i); acc = Vector256.FusedMultiplyAdd(v, v, acc); }
            sum = Vector256.Sum(acc);
        }
        for (; i < n; i++) sum += x[i] * x[i];
        return sum;
    }

    /// <summary>output[i] = x[i] * scale * weight[i].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ScaleTimes(float* x, float scale, float* weight, float* output, int n)
    {
        var i = 0;
        if (VectorBits == 512)
        {
            var s = Vector512.Create(scale);
            for (; i <= n - 16; i += 16) Vector512.Store(Vector512.Load(x + i) * s * Vector512.Load(weight + i), output + i);
        }
        else if (VectorBits >= 256)
        {
            var s = Vector256.Create(scale);
            for (; i <= n - 8; i += 8) Vector256.Store(Vector256.Load(x + i) * s * Vector256.Load(weight + i), output + i);
        }
        for (; i < n; i++) output[i] = x[i] * scale * weight[i];
    }

    /// <summary>weightGrad[i] += dy[i] * x[i] * rstd; returns sum of dy[i] * weight[i] * x[i].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float AccumulateAndDot(float* x, float* dy, float* weight, float rstd, float* weightGrad, int n)
    {
        var i = 0;
        var dot = 0f;
        if (VectorBits == 512 && n >= 16)
        {
            var r = Vector512.Create(rstd);
            var acc = Vector512<float>.Zero;
            for (; i <= n - 16; i += 16)
            {
                var dyx = Vector512.Load(dy + i) * Vector512.Load(x + i);
                Vector512.Store(Vector512.FusedMultiplyAdd(dyx, r, Vector512.Load(weightGrad + i)), weightGrad + i);
                acc = Vector512.FusedMultiplyAdd(dyx, Vector512.Load(weight + i), acc);
            }
            dot = Vector512.Sum(acc);
        }
        else if (VectorBits >= 256 && n >= 8)
        {
            var r = Vector256.Create(rstd);
            var acc = Vector256<float>.Zero;
            for (; i <= n - 8; i += 8)
            {
                var dyx = Vector256.Load(dy + i) * Vector256.Load(x + i);
                Vector256.Store(Vector256.FusedMultiplyAdd(dyx, r, Vector256.Load(weightGrad + i)), weightGrad + i);
                acc = Vector256.FusedMultiplyAdd(dyx, Vector256.Load(weight + i), acc);
            }
            dot = Vector256.Sum(acc);
        }
        for (; i < n; i++)
        {
            var dyx = dy[i] * x[i];
            weightGrad[i] += dyx * rstd;
            dot += dyx * weight[i];
        }
        return dot;
    }

    /// <summary>dx[i] = dy[i] * weight[i] * rstd - x[i] * coefficient.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void InputGradient(float* x, float* dy, float* weight, float rstd, float coefficient, float* dx, int n)
    {
        var i = 0;
        if (VectorBits == 512)
        {
            var (r, c) = (Vector512.Create(rstd), Vector512.Create(-coefficient));
            for (; i <= n - 16; i += 16)
                Vector512.Store(Vector512.FusedMultiplyAdd(Vector512.Load(x + i), c, Vector512.Load(dy + i) * Vector512.Load(weight + i) * r), dx + i);
        }
        else if (VectorBits >= 256)
        {
            var (r, c) = (Vector256.Create(rstd), Vector256.Create(-coefficient));
            for (; i <= n - 8; i += 8)
                Vector256.Store(Vector256.FusedMultiplyAdd(Vector256.Load(x + i), c, Vector256.Load(dy + i) * Vector256.Load(weight + i) * r), dx + i);
        }
        for (; i < n; i++) dx[i] = dy[i] * weight[i] * rstd - x[i] * coefficient;
    }
}
