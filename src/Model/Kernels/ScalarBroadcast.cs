using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Pipeline.Model.Kernels;

/// <summary>
/// One float in every lane of a 512- or 256-bit vector, loaded as such (vbroadcastss from memory). The JIT
/// turns <c>Vector512.Create(*x)</c> into a scalar load and a register broadcast, and the register
/// broadcast runs on the port that the multiply-adds beside it need: in an 8-row block of
/// <see cref="SkinnyMatmul"/> that made the 7M model's decode-step products 1.7x slower.
/// </summary>
internal static unsafe class ScalarBroadcast
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load(float* x) =>
        Avx512F.IsSupported ? Avx512F.BroadcastScalarToVector512(Vector128.CreateScalarUnsafe(*x)) : Vector512.Create(*x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load256(float* x) =>
        Avx.IsSupported ? Avx.BroadcastScalarToVector256(x) : Vector256.Create(*x);
}
