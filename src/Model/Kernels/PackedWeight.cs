using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Model.Kernels;

/// <summary>
/// A float32 weight W [out, in] (the nn.Linear layout) copied into panels of
/// <see cref="PanelWidth"/> output columns: panel p holds W[32p + j, k] at (p, k, j). A panel is
/// one contiguous stream that <see cref="SkinnyMatmul"/> reads exactly once per call whatever the
/// number of rows, so a few-row product costs one pass over the weights, like a matrix-vector
/// product. The last panel is zero-padded. Native memory, 64-byte aligned, freed by Dispose.
/// </summary>
public sealed unsafe class PackedWeight : IDisposable
{
    public const int PanelWidth = 32;

    private float* data;

    private PackedWeight(int inFeatures, int outFeatures)
    {
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        var floats = (nuint)Panels * (nuint)inFeatures * PanelWidth;
        data = (float*)NativeMemory.AlignedAlloc(floats * sizeof(float), 64);
        new Span<float>(data, checked((int)floats)).Clear();
    }

    public int InFeatures { get; }

    public int OutFeatures { get; }

    public int Panels => (OutFeatures + PanelWidth - 1) / PanelWidth;

    public long Bytes => (long)Panels * InFeatures * PanelWidth * sizeof(float);

    /// <summary>The first panel; panel p starts p x InFeatures x PanelWidth floats further.</summary>
    internal float* Data
    {
        get
        {
            ObjectDisposedException.ThrowIf(data is null, this);
            return data;
        }
    }

    /// <summary>
    /// Packs W^T [in, out] (contiguous, float32, CPU), e.g. a transposed and fused copy of several
    /// Linear weights: row k of W^T is every output's weight for input k, so each panel row is one
    /// 32-float copy.
    /// </summary>
    public static PackedWeight FromTransposed(Tensor transposed)
    {
        if (transposed.dim() != 2 || transposed.dtype != ScalarType.Float32 || transposed.device_type != DeviceType.CPU || !transposed.is_contiguous())
            throw new ArgumentException($"expected a contiguous float32 CPU matrix, got {transposed.dtype} {string.Join('x', transposed.shape)} on {transposed.device_type}");
        var (k, n) = ((int)transposed.shape[0], (int)transposed.shape[1]);
        var packed = new PackedWeight(k, n);
        var source = HostFloats.Span(transposed);
        for (var p = 0; p < packed.Panels; p++)
        {
            var column = p * PanelWidth;
            var width = Math.Min(PanelWidth, n - column);
            var panel = packed.data + (long)p * k * PanelWidth;
            for (var row = 0; row < k; row++)
                source.Slice(row * n + column, width).CopyTo(new Span<float>(panel + (long)row * PanelWidth, width));
        }
        return packed;
    }

    public void Dispose()
    {
        if (data is null) return;
        NativeMemory.AlignedFree(data);
        data = null;
    }
}
