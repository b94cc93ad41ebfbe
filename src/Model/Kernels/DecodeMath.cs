using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Pipeline.Model.Kernels;

/// <summary>
/// The elementwise parts of one decode step on float rows, as the Llama modules compute them
/// (RMSNorm, rotate-half rotary, SwiGLU, softmax attention over cached keys and values). Each is a
/// few vectorised loops over a row of a few hundred floats, where the same step through libtorch
/// costs a native call and a tensor per operation.
/// </summary>
internal static unsafe class DecodeMath
{
    /// <summary>output = x / sqrt(mean(x^2) + eps) * weight, for one row of <paramref name="size"/> floats.</summary>
    public static void RmsNorm(float* x, float* weight, float* output, int size, float eps)
    {
        var row = new ReadOnlySpan<float>(x, size);
        var result = new Span<float>(output, size);
        var scale = 1f / MathF.Sqrt(TensorPrimitives.SumOfSquares(row) / size + eps);
        TensorPrimitives.Multiply(row, scale, result);
        TensorPrimitives.Multiply(result, new ReadOnlySpan<float>(weight, size), result);
    }

    /// <summary>
    /// Rotates one head in place, Hugging Face's rotate-half layout: dimension j pairs with j + d/2.
    /// <paramref name="cos"/> and <paramref name="signedSin"/> are the position's rows of the model's
    /// tables, the sin with its first half negated, so x' = x * cos + [x2, x1] * signedSin.
    /// </summary>
    public static void Rotate(float* head, float* cos, float* signedSin, int headDim)
    {
        var half = headDim / 2;
        var j = 0;
        // Sixteen pairs at a time, multiplied then added as in the scalar loop (no fused multiply-add),
        // so both give the same bits. A batched step rotates 8 rows x 8 heads per layer; scalar, rotating
        // and caching took 4-5 % of the 7M model's K = 8 step.
        if (Vector512.IsHardwareAccelerated)
            for (; j + Vector512<float>.Count <= half; j += Vector512<float>.Count)
            {
                var (a, b) = (Vector512.Load(head + j), Vector512.Load(head + j + half));
                (a * Vector512.Load(cos + j) + b * Vector512.Load(signedSin + j)).Store(head + j);
                (b * Vector512.Load(cos + j + half) + a * Vector512.Load(signedSin + j + half)).Store(head + j + half);
            }
        for (; j < half; j++)
        {
            var (a, b) = (head[j], head[j + half]);
            head[j] = a * cos[j] + b * signedSin[j];
            head[j + half] = b * cos[j + half] + a * signedSin[j + half];
        }
    }

    /// <summary>output = silu(gate) * up over <paramref name="size"/> floats.</summary>
    public static void SwiGlu(float* gate, float* up, float* output, int size)
    {
        var g = new ReadOnlySpan<float>(gate, size);
        var result = new Span<float>(output, size);
        TensorPrimitives.Sigmoid(g, result);
        TensorPrimitives.Multiply(result, g, result);
        TensorPrimitives.Multiply(result, new ReadOnlySpan<float>(up, size), result);
    }

    /// <summary>x += y over <paramref name="size"/> floats (a residual connection).</summary>
    public static void AddInPlace(float* x, float* y, int size)
    {
        var row = new Span<float>(x, size);
        TensorPrimitives.Add(row, new ReadOnlySpan<float>(y, size), row);
    }

    /// <summary>
    /// One query head against <paramref name="count"/> cached positions of its key/value head:
    /// output = softmax(q . k_j * scale) weighted sum of v_j. <paramref name="keys"/> and
    /// <paramref name="values"/> point at the first position to attend to, rows of
    /// <paramref name="headDim"/> floats; <paramref name="scores"/> holds <paramref name="count"/> floats.
    /// </summary>
    public static void Attend(float* query, float* keys, float* values, int count, int headDim, float scale, float* scores, float* output)
    {
        var s = new Span<float>(scores, count);
        var wide = Vector512.IsHardwareAccelerated && headDim % Vector512<float>.Count == 0;
        if (wide) WideScores(query, keys, count, headDim, scale, scores);
        else
        {
            var q = new ReadOnlySpan<float>(query, headDim);
            for (var j = 0; j < count; j++) s[j] = TensorPrimitives.Dot(q, new ReadOnlySpan<float>(keys + (long)j * headDim, headDim)) * scale;
        }
        TensorPrimitives.Subtract(s, TensorPrimitives.Max(s), s);
        TensorPrimitives.Exp(s, s);
        TensorPrimitives.Divide(s, TensorPrimitives.Sum(s), s);
        if (wide)
        {
            WideWeightedSum(scores, values, count, headDim, output);
            return;
        }
        var result = new Span<float>(output, headDim);
        result.Clear();
        for (var j = 0; j < count; j++)
            TensorPrimitives.MultiplyAdd(new ReadOnlySpan<float>(values + (long)j * headDim, headDim), s[j], result, result);
    }

    // Per position, a library call on a 64-float row is mostly call overhead; these loops keep the
    // running sums in registers instead. (Attention stays a third of a batched 7M step either way:
    // it is bound by reading the cached keys and values, 8 rows x 6 layers x ~2.4 MB at 144 positions.)

    /// <summary>
    /// scores[j] = q . k_j * scale, 16 dimensions at a time, four positions at once: one position's
    /// sum is a chain of dependent multiply-adds, and four independent chains keep the FMA units busy
    /// while the keys stream in.
    /// </summary>
    private static void WideScores(float* query, float* keys, int count, int headDim, float scale, float* scores)
    {
        var j = 0;
        for (; j + 4 <= count; j += 4)
        {
            var k0 = keys + (long)j * headDim;
            var k1 = k0 + headDim;
            var k2 = k1 + headDim;
            var k3 = k2 + headDim;
            Vector512<float> s0 = default, s1 = default, s2 = default, s3 = default;
            for (var c = 0; c < headDim; c += Vector512<float>.Count)
            {
                var q = Vector512.Load(query + c);
                s0 = Vector512.FusedMultiplyAdd(q, Vector512.Load(k0 + c), s0);
                s1 = Vector512.FusedMultiplyAdd(q, Vector512.Load(k1 + c), s1);
                s2 = Vector512.FusedMultiplyAdd(q, Vector512.Load(k2 + c), s2);
                s3 = Vector512.FusedMultiplyAdd(q, Vector512.Load(k3 + c), s3);
            }
            (SumOfEach(s0, s1, s2, s3) * scale).Store(scores + j);
        }
        for (; j < count; j++)
        {
            var k = keys + (long)j * headDim;
            var sum = Vector512<float>.Zero;
            for (var c = 0; c < headDim; c += Vector512<float>.Count)
                sum = Vector512.FusedMultiplyAdd(Vector512.Load(query + c), Vector512.Load(k + c), sum);
            scores[j] = SumOfEach(sum, default, default, default).ToScalar() * scale;
        }
    }

    /// <summary>
    /// The lane sums of four vectors, [sum(a), sum(b), sum(c), sum(d)]: halves added, then pairwise
    /// horizontal adds that sum all four at once. Not Vector512.Sum: applied to the four accumulators
    /// of WideScores, the JIT kept all four in memory instead of registers (every multiply-add a load
    /// and a store, seen with DOTNET_JitDisasm), and 192 attends over 144 cached positions (one
    /// batched 7M step) took 0.63 ms on one thread with the data in cache; now 0.39-0.41 ms.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> SumOfEach(Vector512<float> a, Vector512<float> b, Vector512<float> c, Vector512<float> d)
    {
        var ab = Avx.HorizontalAdd(a.GetLower() + a.GetUpper(), b.GetLower() + b.GetUpper());
        var cd = Avx.HorizontalAdd(c.GetLower() + c.GetUpper(), d.GetLower() + d.GetUpper());
        var all = Avx.HorizontalAdd(ab, cd);
        return all.GetLower() + all.GetUpper();
    }

    /// <summary>
    /// output = sum_j weights[j] * v_j. Four 16-dimension slices (one 256-byte stretch of each value
    /// row) are summed at once in one walk over the positions: four independent multiply-add chains,
    /// and each value row read in one go. A head of 16 or 32 dimensions takes the one-slice loop.
    /// </summary>
    private static void WideWeightedSum(float* weights, float* values, int count, int headDim, float* output)
    {
        var c = 0;
        for (; c + 4 * Vector512<float>.Count <= headDim; c += 4 * Vector512<float>.Count)
        {
            Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default;
            var v = values + c;
            for (var j = 0; j < count; j++, v += headDim)
            {
                var w = ScalarBroadcast.Load(weights + j);
                a0 = Vector512.FusedMultiplyAdd(w, Vector512.Load(v), a0);
                a1 = Vector512.FusedMultiplyAdd(w, Vector512.Load(v + 16), a1);
                a2 = Vector512.FusedMultiplyAdd(w, Vector512.Load(v + 32), a2);
                a3 = Vector512.FusedMultiplyAdd(w, Vector512.Load(v + 48), a3);
            }
            a0.Store(output + c);
            a1.Store(output + c + 16);
            a2.Store(output + c + 32);
            a3.Store(output + c + 48);
        }
        for (; c < headDim; c += Vector512<float>.Count)
        {
            var sum = Vector512<float>.Zero;
            var v = values + c;
            for (var j = 0; j < count; j++, v += headDim)
                sum = Vector512.FusedMultiplyAdd(ScalarBroadcast.Load(weights + j), Vector512.Load(v), sum);
            sum.Store(output + c);
        }
    }
}
