using System.Runtime.InteropServices;

namespace Pipeline.Model.Kernels;

/// <summary>A 64-byte aligned, zeroed native float buffer that the kernels address by pointer; freed by Dispose.</summary>
internal sealed unsafe class NativeFloats : IDisposable
{
    private float* data;

    public NativeFloats(long length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        Length = length;
        data = (float*)NativeMemory.AlignedAlloc((nuint)Math.Max(1, length) * sizeof(float), 64);
        NativeMemory.Clear(data, (nuint)length * sizeof(float));
    }

    public long Length { get; }

    public float* Pointer
    {
        get
        {
            ObjectDisposedException.ThrowIf(data is null, this);
            return data;
        }
    }

    public void Dispose()
    {
        if (data is null) return;
        NativeMemory.AlignedFree(data);
        data = null;
    }
}
