using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Pipeline.Model.Kernels;

/// <summary>
/// y [rows, out] = x [rows, in] @ W^T for the rows of one decode step (one row per sequence) against
/// a <see cref="PackedWeight"/>, for <see cref="Generation.CpuDecoder"/>. Every panel of the weight
/// is read once per call whatever the number of rows, all rows are accumulated against it in
/// registers (8 rows x 32 columns = 16 AVX-512 accumulators), and panels are shared out between
/// threads (<see cref="KernelThreads"/>). Why not libtorch's matmul: on the development CPU MKL's
/// sgemm for 2-16 rows took 2-3x the time of its one-row product over the same weights (the 25M
/// benchmark model's 94 MB: 8 rows 23-25 ms against 8.0 ms on one thread), although reading the
/// weights, not the arithmetic, bounds both, and a decode step that calls into libtorch between its
/// products pays a native call and an OpenMP wake-up for each. Each output is summed over the
/// inputs in order by one thread, so the result does not depend on the thread count.
/// </summary>
public static unsafe partial class SkinnyMatmul
{
    /// <summary>
    /// Needs AVX-512, or AVX2 with FMA (then 256-bit blocks of up to 2 rows: 16 registers hold no
    /// more accumulators); elsewhere generation keeps libtorch's decode step.
    /// </summary>
    public static bool IsSupported => Vector512.IsHardwareAccelerated || (Vector256.IsHardwareAccelerated && Fma.IsSupported);

    /// <summary>The 512-bit blocks run; tests turn them off to check the 256-bit ones on an AVX-512 machine.</summary>
    internal static bool Wide { get; set; } = Vector512.IsHardwareAccelerated;

    /// <summary>Computes y = x @ W^T on up to <paramref name="threads"/> threads (the caller's included).</summary>
    public static void Multiply(float* x, int rows, PackedWeight weight, float* y, int threads)
    {
        if (!IsSupported) throw new PlatformNotSupportedException("SkinnyMatmul needs AVX-512 or AVX2 with FMA");
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        // Parts of 8 panels (256 outputs) for one row, fewer for more rows (each panel is then more
        // arithmetic): enough parts for the threads to share the work evenly, each big enough that
        // claiming it costs nothing next to reading its weights.
        var partCount = threads > 1 ? Math.Max(1, weight.Panels / Math.Max(1, 8 / rows)) : 1;
        var job = new PanelJob(x, rows, weight.Data, weight.InFeatures, weight.OutFeatures, y, partCount);
        if (partCount == 1) MultiplyPanels(job, 0, weight.Panels);
        else KernelThreads.Run(partCount, threads, &RunPart, &job);
    }

    /// <summary>
    /// How far ahead in a panel (in panel rows: 24 x 128 bytes) the kernels ask for the weights. On the
    /// development VM the hardware prefetcher alone left a one-row product of the 25M benchmark model
    /// at 9.5-11.8 ms per decode step; asking 3 KB ahead gave 8.3-9.2 (alternating runs, two threads).
    /// </summary>
    private const int PrefetchRows = 24;

    /// <summary>Requests the two cache lines of the panel row <see cref="PrefetchRows"/> ahead of <paramref name="w"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Prefetch(float* w)
    {
        if (!Sse.IsSupported) return;
        Sse.Prefetch0(w + PrefetchRows * PackedWeight.PanelWidth);
        Sse.Prefetch0(w + PrefetchRows * PackedWeight.PanelWidth + 16);
    }

    /// <summary>One call's operands, with the packed weight as its raw panels (a struct a worker reads through a pointer).</summary>
    private readonly struct PanelJob(float* x, int rows, float* panels, int k, int n, float* y, int parts)
    {
        public readonly int Parts = parts;
        public readonly float* X = x;
        public readonly int Rows = rows;
        public readonly float* Panels = panels;
        public readonly int K = k;
        public readonly int N = n;
        public readonly float* Y = y;

        public int PanelCount => (N + PackedWeight.PanelWidth - 1) / PackedWeight.PanelWidth;
    }

    private static void RunPart(void* state, int part)
    {
        ref var job = ref Unsafe.AsRef<PanelJob>(state);
        MultiplyPanels(job, job.PanelCount * part / job.Parts, job.PanelCount * (part + 1) / job.Parts);
    }

    private static void MultiplyPanels(in PanelJob job, int firstPanel, int endPanel)
    {
        var x = job.X;
        var y = job.Y;
        var (rows, k, n) = (job.Rows, job.K, job.N);
        // The last panel may be narrower than 32 columns: its rows go through this buffer.
        var tail = stackalloc float[EightRows.Count * PackedWeight.PanelWidth];
        for (var p = firstPanel; p < endPanel; p++)
        {
            var panel = job.Panels + (long)p * k * PackedWeight.PanelWidth;
            var column = p * PackedWeight.PanelWidth;
            var width = Math.Min(PackedWeight.PanelWidth, n - column);
            for (var row = 0; row < rows;)
            {
                var xr = x + (long)row * k;
                var full = width == PackedWeight.PanelWidth;
                var yr = full ? y + (long)row * n + column : tail;
                var stride = full ? n : PackedWeight.PanelWidth;
                var block = (rows - row, Wide) switch
                {
                    ( >= 8, true) => Block<EightRows>(xr, k, panel, yr, stride),
                    ( >= 4, true) => Block<FourRows>(xr, k, panel, yr, stride),
                    ( >= 2, true) => Block<TwoRows>(xr, k, panel, yr, stride),
                    (_, true) => Block<OneRow>(xr, k, panel, yr, stride),
                    ( >= 2, false) => NarrowBlock<TwoRows>(xr, k, panel, yr, stride),
                    _ => NarrowBlock<OneRow>(xr, k, panel, yr, stride),
                };
                if (width < PackedWeight.PanelWidth)
                    for (var r = 0; r < block; r++)
                        new ReadOnlySpan<float>(tail + r * PackedWeight.PanelWidth, width).CopyTo(new Span<float>(y + (long)(row + r) * n + column, width));
                row += block;
            }
        }
    }

    /// <summary>Rows [0, R) of x times one panel into y (row stride <paramref name="stride"/>); returns R.</summary>
    /// <remarks>
    /// Each row's input is broadcast straight from memory (<see cref="ScalarBroadcast"/>) through one
    /// pointer per row advanced with the panel. With a register broadcast and per-row index
    /// arithmetic, an 8-row block of the 7M model's decode step took 1.9-2.4 ms on one thread; now
    /// 1.1-1.3 ms, about what one row takes (alternating runs, development VM).
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Block<TRows>(float* x, int k, float* panel, float* y, int stride) where TRows : struct, IRowBlock
    {
        var rows = TRows.Count;
        Vector512<float> a0 = default, b0 = default, a1 = default, b1 = default, a2 = default, b2 = default, a3 = default, b3 = default;
        Vector512<float> a4 = default, b4 = default, a5 = default, b5 = default, a6 = default, b6 = default, a7 = default, b7 = default;
        var w = panel;
        var x0 = x;
        var end = x + k;
        // Row r's input is x0 + r * k: offsets computed once, not per panel row.
        nint k1 = k, k2 = 2 * k1, k3 = 3 * k1, k4 = 4 * k1, k5 = 5 * k1, k6 = 6 * k1, k7 = 7 * k1;
        for (; x0 < end; x0++, w += PackedWeight.PanelWidth)
        {
            Prefetch(w);
            var lo = Vector512.LoadAligned(w);
            var hi = Vector512.LoadAligned(w + 16);
            Accumulate(lo, hi, x0, ref a0, ref b0);
            if (rows > 1) Accumulate(lo, hi, x0 + k1, ref a1, ref b1);
            if (rows > 2)
            {
                Accumulate(lo, hi, x0 + k2, ref a2, ref b2);
                Accumulate(lo, hi, x0 + k3, ref a3, ref b3);
            }
            if (rows > 4)
            {
                Accumulate(lo, hi, x0 + k4, ref a4, ref b4);
                Accumulate(lo, hi, x0 + k5, ref a5, ref b5);
                Accumulate(lo, hi, x0 + k6, ref a6, ref b6);
                Accumulate(lo, hi, x0 + k7, ref a7, ref b7);
            }
        }
        Store(y, a0, b0);
        if (rows > 1) Store(y + stride, a1, b1);
        if (rows > 2)
        {
            Store(y + 2 * stride, a2, b2);
            Store(y + 3 * stride, a3, b3);
        }
        if (rows > 4)
        {
            Store(y + 4 * stride, a4, b4);
            Store(y + 5 * stride, a5, b5);
            Store(y + 6 * stride, a6, b6);
            Store(y + 7 * stride, a7, b7);
        }
        return rows;
    }

    /// <summary>One row's accumulators (a, b) += the panel row (lo, hi) times that row's input at <paramref name="x"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Accumulate(Vector512<float> lo, Vector512<float> hi, float* x, ref Vector512<float> a, ref Vector512<float> b)
    {
        var v = ScalarBroadcast.Load(x);
        a = Vector512.FusedMultiplyAdd(lo, v, a);
        b = Vector512.FusedMultiplyAdd(hi, v, b);
    }

    private static void Store(float* y, Vector512<float> lo, Vector512<float> hi)
    {
        lo.Store(y);
        hi.Store(y + 16);
    }
}
