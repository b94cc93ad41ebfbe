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
            var v = Vector256.Create(x[i]);
            a0 = Vector256.FusedMultiplyAdd(w0, v, a0);
            b0 = Vector256.FusedMultiplyAdd(w1, v, b0);
            c0 = Vector256.FusedMultiplyAdd(w2, v, c0);
            d0 = Vector256.FusedMultiplyAdd(w3, v, d0);
            if (rows > 1)
            {
                v = Vector256.Create(x[k + i]);
                a1 = Vector256.FusedMultiplyAdd(w0, v, a1);
                b1 = Vector256.FusedMultiplyAdd(w1, v, b1);
                c1 = Vector256.FusedMultiplyAdd(w2, v, c1);
                d1 = Vector256.FusedMultiplyAdd(w3, v, d1);
            }
        }
        NarrowStore(y, a0, b0, c0, d0);
        if (rows > 1) NarrowStore(y + stride, a1, b1, c1, d1);
        return rows;
    }

    private static void NarrowStore(float* y, Vector256<float> a, Vector256<float> b, Vector256<float> c, Vector256<float> d)
    {
        a.Store(y);
        b.Store(y + 8);
        c.Store(y + 16);
        d.Store(y + 24);
    }
}
