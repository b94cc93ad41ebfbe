using static TorchSharp.torch;

namespace Pipeline.Model.Llama;

/// <summary>
/// Generation-time copies of the weights, stored transposed ([in, out], contiguous) and fused where
/// one input feeds several maps (q/k/v; gate/up). Decoding multiplies one row per sequence by each
/// weight, and on the development CPU x @ W^T against a contiguous W^T ran 1.3-2x faster than
/// linear(x, W) for these shapes (GEMV / skinny GEMM), while fusing removes native calls, which
/// dominate a small model's decode step. The copies cost one more set of weights in memory, so the
/// copies are made only up to <see cref="MaxBytes"/>, and the generator drops them when it returns.
/// </summary>
public static class InferenceWeights
{
    /// <summary>Models whose weights take more than this (1 GiB) generate from the original layout.</summary>
    public const long MaxBytes = 1L << 30;

    /// <summary>
    /// Up to this size (32 MiB) the copies serve every call; bigger models use them for single-row
    /// steps only (see <see cref="LlamaModel.PreparedRowsLimit"/>).
    /// </summary>
    public const long CacheResidentBytes = 32L << 20;

    /// <summary>Bytes of all the module's parameters (what the copies would duplicate).</summary>
    public static long BytesOf(nn.Module module) => module.parameters().Sum(w => w.numel() * w.element_size());

    internal static Tensor Transposed(params Tensor[] weights)
    {
        using var _ = no_grad();
        using var joined = weights.Length == 1 ? weights[0].alias() : cat(weights, 0);
        return joined.t().contiguous();
    }

    internal sealed class Release(Action release) : IDisposable
    {
        private Action? _release = release;

        public void Dispose()
        {
            _release?.Invoke();
            _release = null;
        }
    }
}
