using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Pipeline.Model.Kernels;

/// <summary>
/// Element access for the kernels that take float32 or bfloat16 memory (a bfloat16 is the upper half
/// of a float's bits): eight lanes or one element at index i, widened to float on reading and rounded
/// to nearest even on writing, as libtorch rounds. The bfloat16 flag of each call picks the element type.
/// </summary>
internal static unsafe class BFloat16Lanes
{
    /// <summary>Eight elements from index i as floats (bfloat16 is the upper half of a float's bits).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load(void* data, long i, bool bfloat16)
    {
        if (!bfloat16) return Vector256.Load((float*)data + i);
        var halves = Vector128.Load((ushort*)data + i);
        return (Vector256.Create(Vector128.WidenLower(halves), Vector128.WidenUpper(halves)) << 16).AsSingle();
    }

    /// <summary>Stores eight floats at index i, rounded to nearest even for bfloat16 (NaN stays NaN).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(void* data, long i, Vector256<float> values, bool bfloat16)
    {
        if (!bfloat16)
        {
            Vector256.Store(values, (float*)data + i);
            return;
        }
        var bits = values.AsUInt32();
        var rounded = (bits + Vector256.Create(0x7FFFu) + ((bits >> 16) & Vector256<uint>.One)) >> 16;
        rounded = Vector256.ConditionalSelect(Vector256.Equals(values, values).AsUInt32(), rounded, Vector256.Create(0x7FC0u));
        Vector128.Narrow(rounded.GetLower(), rounded.GetUpper()).Store((ushort*)data + i);
    }

    /// <summary>Sixteen elements from index i as floats (AVX-512 only: check Avx512F.IsSupported).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load16(void* data, long i, bool bfloat16)
    {
        if (!bfloat16) return Vector512.Load((float*)data + i);
        return (Avx512F.ConvertToVector512UInt32(Vector256.Load((ushort*)data + i)) << 16).AsSingle();
    }

    /// <summary>Stores sixteen floats at index i, rounded to nearest even for bfloat16 (NaN stays NaN); AVX-512 only.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store16(void* data, long i, Vector512<float> values, bool bfloat16)
    {
        if (!bfloat16)
        {
            Vector512.Store(values, (float*)data + i);
            return;
        }
        var bits = values.AsUInt32();
        var rounded = (bits + Vector512.Create(0x7FFFu) + ((bits >> 16) & Vector512<uint>.One)) >> 16;
        rounded = Vector512.ConditionalSelect(Vector512.Equals(values, values).AsUInt32(), rounded, Vector512.Create(0x7FC0u));
        Avx512F.ConvertToVector256UInt16(rounded).Store((ushort*)data + i);
    }

    /// <summary>Bytes per element: 2 for bfloat16, 4 for float32.</summary>
    public static int ElementBytes(bool bfloat16) => bfloat16 ? sizeof(ushort) : sizeof(float);

    public static float Read(void* data, long i, bool bfloat16) =>
        bfloat16 ? BitConverter.UInt32BitsToSingle((uint)((ushort*)data)[i] << 16) : ((float*)data)[i];

    public static void Write(void* data, long i, float value, bool bfloat16)
    {
        if (!bfloat16)
        {
            ((float*)data)[i] = value;
            return;
        }
        var bits = BitConverter.SingleToUInt32Bits(value);
        ((ushort*)data)[i] = float.IsNaN(value) ? (ushort)0x7FC0 : (ushort)((bits + 0x7FFFu + ((bits >> 16) & 1)) >> 16);
    }
}
