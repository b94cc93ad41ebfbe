using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Model.Kernels;

/// <summary>The memory of a contiguous CPU tensor, used in place (not copied) by the C# kernels.</summary>
internal static unsafe class HostFloats
{
    public static float* Pointer(Tensor tensor) => (float*)Address(tensor, ScalarType.Float32);

    /// <summary>The memory of a contiguous CPU tensor of <paramref name="dtype"/> (bfloat16 elements are read as ushort bits).</summary>
    public static void* Address(Tensor tensor, ScalarType dtype)
    {
        if (tensor.dtype != dtype || tensor.device_type != DeviceType.CPU || !tensor.is_contiguous())
            throw new ArgumentException($"expected a contiguous {dtype} CPU tensor, got {tensor.dtype} on {tensor.device_type}", nameof(tensor));
        return Unsafe.AsPointer(ref MemoryMarshal.GetReference(tensor.bytes));
    }

    public static ReadOnlySpan<float> Span(Tensor tensor) => new(Pointer(tensor), checked((int)tensor.numel()));
}
