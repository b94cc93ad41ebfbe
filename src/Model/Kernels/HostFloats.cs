using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Model.Kernels;

/// <summary>The memory of a contiguous float32 CPU tensor, used in place (not copied) by the C# decode step.</summary>
internal static unsafe class HostFloats
{
    public static float* Pointer(Tensor tensor)
    {
        if (tensor.dtype != ScalarType.Float32 || tensor.device_type != DeviceType.CPU || !tensor.is_contiguous())
            throw new ArgumentException($"expected a contiguous float32 CPU tensor, got {tensor.dtype} on {tensor.device_type}", nameof(tensor));
        return (float*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(tensor.bytes));
    }

    public static ReadOnlySpan<float> Span(Tensor tensor) => new(Pointer(tensor), checked((int)tensor.numel()));
}
