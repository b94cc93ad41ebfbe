using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Pipeline.Model.Kernels;

/// <summary>
/// Token cross-entropy over rows of float32 logits, forward and backward, shared between threads by
/// blocks of rows. libtorch's log_softmax + nll_loss make four passes over the [tokens, vocab]
/// logits (32 MB for a batch of 8 x 256 and a 4,096 vocabulary) with a log-probability temporary;
/// here the forward reads each row twice (max, then sum of exponentials) and the backward writes the
/// gradient in one pass. The exponentials set the speed, so those loops use 512-bit vectors where the
/// CPU has them; all are compiled optimized at once, as in <see cref="RmsNormRows"/>.
/// </summary>
internal static unsafe partial class CrossEntropyRows
{
    internal const int RowsPerPart = 16;

    /// <summary>How many parts (and partial losses, see <see cref="Forward"/>) a call over <paramref name="rows"/> has.</summary>
    public static int Parts(long rows) => KernelThreads.PartCount(rows, RowsPerPart);

    /// <summary>
    /// For every row whose target is not <paramref name="ignoreIndex"/>: logSumExp[r] = log(sum(exp(row)))
    /// and the row's loss logSumExp[r] - row[target]; each part's sum of its rows' losses lands in
    /// partLosses[part] (summed in order by the caller, so the result is the same for any thread count).
    /// Targets must already be checked to lie in [0, vocab) or equal ignoreIndex.
    /// </summary>
    public static void Forward(float* logits, long* targets, long ignoreIndex, float* logSumExp, double* partLosses, long rows, int vocab, int threads)
    {
        var job = new Job { Logits = logits, Targets = targets, IgnoreIndex = ignoreIndex, LogSumExp = logSumExp, PartLosses = partLosses, Rows = rows, Vocab = vocab };
        KernelThreads.RunParts(rows, RowsPerPart, rows * vocab, threads, &ForwardPart, &job);
    }

    /// <summary>gradient[r] = (softmax(row) - onehot(target)) * scale for counted rows, zeros for ignored ones.</summary>
    public static void Backward(float* logits, long* targets, long ignoreIndex, float* logSumExp, float scale, float* gradient, long rows, int vocab, int threads)
    {
        var job = new Job { Logits = logits, Targets = targets, IgnoreIndex = ignoreIndex, LogSumExp = logSumExp, Gradient = gradient, Scale = scale, Rows = rows, Vocab = vocab };
        KernelThreads.RunParts(rows, RowsPerPart, rows * vocab, threads, &BackwardPart, &job);
    }

    private struct Job
    {
        public float* Logits;
        public long* Targets;
        public long IgnoreIndex;
        public float* LogSumExp;
        public double* PartLosses;
        public float* Gradient;
        public float Scale;
        public long Rows;
        public int Vocab;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardPart(void* state, int part)
    {
        ref var job = ref *(Job*)state;
        var (first, end) = KernelThreads.PartRange(part, RowsPerPart, job.Rows);
        var loss = 0.0;
        for (var r = first; r < end; r++)
        {
            var target = job.Targets[r];
            if (target == job.IgnoreIndex) continue;
            var row = job.Logits + r * job.Vocab;
            var max = Max(row, job.Vocab);
            var logSumExp = max + MathF.Log(SumOfExp(row, max, job.Vocab));
            job.LogSumExp[r] = logSumExp;
            loss += logSumExp - row[target];
        }
        job.PartLosses[part] = loss;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BackwardPart(void* state, int part)
    {
        ref var job = ref *(Job*)state;
        var (first, end) = KernelThreads.PartRange(part, RowsPerPart, job.Rows);
        for (var r = first; r < end; r++)
        {
            var gradient = job.Gradient + r * job.Vocab;
            var target = job.Targets[r];
            if (target == job.IgnoreIndex)
            {
                new Span<float>(gradient, job.Vocab).Clear();
                continue;
            }
            ScaledSoftmax(job.Logits + r * job.Vocab, job.LogSumExp[r], job.Scale, gradient, job.Vocab);
            gradient[target] -= job.Scale;
        }
    }

    /// <summary>
    /// The row's largest element. MaxNative is one vmaxps; Vector.Max's IEEE rules (NaN, -0 before +0)
    /// cost a range and two fix-up instructions in one dependency chain, which made this pass as slow
    /// as the exponentials'. A NaN may be lost here, but it still makes the sum of exponentials NaN.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float Max(float* row, int n)
    {
        var i = 0;
        var max = float.NegativeInfinity;
        if (Vector512.IsHardwareAccelerated && n >= 64)
        {
            var (a, b, c, d) = (Vector512.Create(float.NegativeInfinity), Vector512.Create(float.NegativeInfinity), Vector512.Create(float.NegativeInfinity), Vector512.Create(float.NegativeInfinity));
            for (; i <= n - 64; i += 64)
            {
                a = Vector512.MaxNative(a, Vector512.Load(row + i));
                b = Vector512.MaxNative(b, Vector512.Load(row + i + 16));
                c = Vector512.MaxNative(c, Vector512.Load(row + i + 32));
                d = Vector512.MaxNative(d, Vector512.Load(row + i + 48));
            }
            var all = Vector512.MaxNative(Vector512.MaxNative(a, b), Vector512.MaxNative(c, d));
            for (var k = 0; k < 16; k++) max = MathF.Max(max, all[k]);
        }
        else if (Vector256.IsHardwareAccelerated && n >= 32)
        {
            var (a, b, c, d) = (Vector256.Create(float.NegativeInfinity), Vector256.Create(float.NegativeInfinity), Vector256.Create(float.NegativeInfinity), Vector256.Create(float.NegativeInfinity));
            for (; i <= n - 32; i += 32)
            {
                a = Vector256.MaxNative(a, Vector256.Load(row + i));
                b = Vector256.MaxNative(b, Vector256.Load(row + i + 8));
                c = Vector256.MaxNative(c, Vector256.Load(row + i + 16));
                d = Vector256.MaxNative(d, Vector256.Load(row + i + 24));
            }
            var all = Vector256.MaxNative(Vector256.MaxNative(a, b), Vector256.MaxNative(c, d));
            for (var k = 0; k < 8; k++) max = MathF.Max(max, all[k]);
        }
        for (; i < n; i++) max = MathF.Max(max, row[i]);
        return max;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float SumOfExp(float* row, float max, int n)
    {
        var i = 0;
        var sum = 0f;
        if (Vector512.IsHardwareAccelerated && n >= 16)
        {
            var (acc, shift) = (Vector512<float>.Zero, Vector512.Create(max));
            for (; i <= n - 16; i += 16) acc += FastExp.Exp(Vector512.Load(row + i) - shift);
            sum = Vector512.Sum(acc);
        }
        else if (Vector256.IsHardwareAccelerated && n >= 8)
        {
            var (acc, shift) = (Vector256<float>.Zero, Vector256.Create(max));
            for (; i <= n - 8; i += 8) acc += FastExp.Exp(Vector256.Load(row + i) - shift);
            sum = Vector256.Sum(acc);
        }
        for (; i < n; i++) sum += MathF.Exp(row[i] - max);
        return sum;
    }

    /// <summary>output[j] = exp(row[j] - logSumExp) * scale.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ScaledSoftmax(float* row, float logSumExp, float scale, float* output, int n)
    {
        var i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var (shift, factor) = (Vector512.Create(logSumExp), Vector512.Create(scale));
            for (; i <= n - 16; i += 16) Vector512.Store(FastExp.Exp(Vector512.Load(row + i) - shift) * factor, output + i);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            var (shift, factor) = (Vector256.Create(logSumExp), Vector256.Create(scale));
            for (; i <= n - 8; i += 8) Vector256.Store(FastExp.Exp(Vector256.Load(row + i) - shift) * factor, output + i);
        }
        for (; i < n; i++) output[i] = MathF.Exp(row[i] - logSumExp) * scale;
    }
}
