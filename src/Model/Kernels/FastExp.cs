using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Pipeline.Model.Kernels;

/// <summary>
/// e^x for float lanes, inlined into the kernels' loops: Cephes' expf (as in avx_mathfun and Sleef's
/// u10 variants, within about 2 ulp): x = n ln 2 + r with n = round(x / ln 2) and r reduced in two
/// parts, e^r by a degree-6 polynomial, 2^n put into the exponent bits. .NET's Vector256.Exp and
/// Vector512.Exp compute in double precision and are a call per vector that the kernels' loops could
/// not inline; profiled in a 7M bf16 training step, those calls (some still in tier-0 code during
/// the first steps) took more samples than the SwiGLU loops around them. Above 88.376 the result
/// stays at e^88.376 (finite; no caller needs more: softmax shifts by the maximum, sigmoid saturates);
/// below -87.337 it is 0 (no denormals); NaN stays NaN: Vector.Max and Min propagate it (IEEE 754
/// maximum and minimum), so it reaches the product, and it compares false against the underflow
/// bound. n is already rounded and clamped, so the native conversion (one instruction, where the
/// saturating one takes four) is exact; with the NaN mask gone the loop is about a fifth shorter.
/// </summary>
internal static class FastExp
{
    private const float Ln2High = 0.693359375f;
    private const float Ln2Low = -2.12194440e-4f;
    private const float Log2E = 1.44269504088896341f;
    /// <summary>e^88.376 &lt; 2^127.5: the largest n is 127, so 2^n never overflows the exponent.</summary>
    private const float High = 88.3762626647949f;
    /// <summary>e^-87.337 = 2^-126, the smallest normal float: below it the result is 0.</summary>
    private const float Low = -87.33654475f;
    private const float P0 = 1.9875691500E-4f, P1 = 1.3981999507E-3f, P2 = 8.3334519073E-3f, P3 = 4.1665795894E-2f, P4 = 1.6666665459E-1f, P5 = 5.0000001201E-1f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Exp(Vector256<float> x)
    {
        var underflow = Vector256.LessThan(x, Vector256.Create(Low));
        x = Vector256.Min(Vector256.Max(x, Vector256.Create(Low)), Vector256.Create(High));
        var n = Vector256.Round(x * Vector256.Create(Log2E));
        var r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-Ln2High), x);
        r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-Ln2Low), r);
        var p = Vector256.FusedMultiplyAdd(Vector256.Create(P0), r, Vector256.Create(P1));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(P2));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(P3));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(P4));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(P5));
        p = Vector256.FusedMultiplyAdd(p, r * r, r + Vector256<float>.One);
        var scale = ((Vector256.ConvertToInt32Native(n) + Vector256.Create(127)) << 23).AsSingle();
        return Vector256.AndNot(p * scale, underflow);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Exp(Vector512<float> x)
    {
        var underflow = Vector512.LessThan(x, Vector512.Create(Low));
        x = Vector512.Min(Vector512.Max(x, Vector512.Create(Low)), Vector512.Create(High));
        var n = Vector512.Round(x * Vector512.Create(Log2E));
        var r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-Ln2High), x);
        r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-Ln2Low), r);
        var p = Vector512.FusedMultiplyAdd(Vector512.Create(P0), r, Vector512.Create(P1));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(P2));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(P3));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(P4));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(P5));
        p = Vector512.FusedMultiplyAdd(p, r * r, r + Vector512<float>.One);
        var scale = ((Vector512.ConvertToInt32Native(n) + Vector512.Create(127)) << 23).AsSingle();
        return Vector512.AndNot(p * scale, underflow);
    }
}
