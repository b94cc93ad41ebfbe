using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Pipeline.Model.Kernels;

public static unsafe partial class SkinnyMatmul
{
    /// <summary>
    /// <see cref="Block{TRows}"/> in 256-bit vectors, for CPUs with AVX2 but not AVX-512: a 32-column
    /// panel row is four vectors, so two rows take 8 accumulators and 4 weight registers of AVX2's 16.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int NarrowBlock<TRows>(float* x, int k, float* panel, float* y, int stride) where TRows : struct, IRowBlock
    {
        var rows = TRows.Count;
        if (rows > 2) throw new ArgumentOutOfRangeException(nameof(TRows), rows, "256-bit blocks take at most 2 rows");
        Vector256<float> a0 = default, b0 = default, c0 = default, d0 = default, a1 = default, b1 = default, c1 = default, d1 = default;
        var w = panel;
        for (var i = 0; i < k; i++, w += PackedWeight.PanelWidth)
        {
            Prefetch(w);
            var w0 = Vector256.LoadAligned(w);
            var w1 = Vector256.LoadAligned(w + 8);
            var w2 = Vector256.LoadAligned(w + 16);
            var w3 = Vector256.LoadAligned(w + 24);
            (a0, b0, c0, d0) = NarrowAccumulate(w0, w1, w2, w3, x + i, a0, b0, c0, d0);
            if (rows > 1) (a1, b1, c1, d1) = NarrowAccumulate(w0, w1, w2, w3, x + k + i, a1, b1, c1, d1);
        }
        NarrowStore(y, a0, b0, c0, d0);
        if (rows > 1) NarrowStore(y + stride, a1, b1, c1, d1);
        return rows;
    }

    /// <summary>
    /// One row's four accumulators += the panel row (w0..w3) times that row's input at <paramref name="x"/>,
    /// broadcast from memory (see <see cref="ScalarBroadcast"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<float>, Vector256<float>, Vector256<float>, Vector256<float>) NarrowAccumulate(
        Vector256<float> w0, Vector256<float> w1, Vector256<float> w2, Vector256<float> w3, float* x,
        Vector256<float> a, Vector256<float> b, Vector256<float> c, Vector256<float> d)
    {
        var v = ScalarBroadcast.Load256(x);
        return (Vector256.FusedMultiplyAdd(w0, v, a), Vector256.FusedMultiplyAdd(w1, v, b), Vector256.FusedMultiplyAdd(w2, v, c), Vector256.FusedMultiplyAdd(w3, v, d));
    }

    private static void NarrowStore(float* y, Vector256<float> a, Vector256<float> b, Vector256<float> c, Vector256<float> d)
    {
        a.Store(y);
        b.Store(y + 8);
        c.Store(y + 16);
        d.Store(y + 24);
    }
}
