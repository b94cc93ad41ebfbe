using Pipeline.Model.Kernels;
using static TorchSharp.torch;

namespace Pipeline.Model.Llama;

/// <summary>
/// A generation-time copy of one or more Linear weights fused along their outputs (see
/// <see cref="InferenceWeights"/>): transposed for libtorch's matmul, which serves single rows (MKL's
/// matrix-vector product streams the weights at full speed) and, for a model that stays in cache,
/// every row count; and packed for <see cref="SkinnyMatmul"/>, which serves 2-16 rows where MKL's
/// sgemm is slow, where the kernel runs (float32 on a CPU with 512-bit SIMD).
/// </summary>
internal sealed class PreparedLinear : IDisposable
{
    private readonly Tensor transposed;
    private readonly PackedWeight? packed;

    /// <param name="anyRows">Serve calls of any row count (a model whose weights stay in cache).</param>
    public PreparedLinear(Tensor[] weights, bool anyRows)
    {
        transposed = InferenceWeights.Transposed(weights);
        if (InferenceWeights.PacksFor(transposed)) packed = PackedWeight.FromTransposed(transposed);
        MaxRows = anyRows ? long.MaxValue : packed is null ? 1 : SkinnyMatmul.MaxRows;
    }

    /// <summary>The most rows (batch x tokens) a call may have; more need the original weights.</summary>
    public long MaxRows { get; }

    public unsafe Tensor Apply(Tensor x)
    {
        var rows = x.numel() / x.shape[^1];
        if (rows > MaxRows) throw new ArgumentException($"{rows} rows exceed the {MaxRows} this copy serves");
        if (packed is null || rows == 1 || rows > SkinnyMatmul.MaxRows) return x.matmul(transposed);
        var shape = x.shape.ToArray();
        shape[^1] = packed.OutFeatures;
        using var input = x.contiguous();
        var output = empty(shape, ScalarType.Float32, x.device);
        fixed (byte* xp = input.bytes)
        fixed (byte* yp = output.bytes)
            SkinnyMatmul.Multiply((float*)xp, (int)rows, packed, (float*)yp, get_num_threads());
        return output;
    }

    public void Dispose()
    {
        transposed.Dispose();
        packed?.Dispose();
    }
}
