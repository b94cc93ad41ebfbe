using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Model.Llama;

/// <summary>
/// Generation-time copies of the weights, fused where one input feeds several maps (q/k/v; gate/up),
/// stored transposed ([in, out], contiguous) and, where <see cref="Kernels.SkinnyMatmul"/> runs,
/// also packed for it (see <see cref="PreparedLinear"/>). Decoding multiplies one row per sequence
/// by each weight, and on the development CPU x @ W^T against a contiguous W^T ran 1.3-2x faster
/// than linear(x, W) for one row, the packed kernel ~1.8x faster than either for 8 rows, while
/// fusing removes native calls, which dominate a small model's decode step. The copies cost one or
/// two more sets of weights in memory, so they are made only up to <see cref="MaxBytes"/>, and the
/// generator drops them when it returns.
/// </summary>
public static class InferenceWeights
{
    /// <summary>Models whose weights take more than this (1 GiB) generate from the original layout.</summary>
    public const long MaxBytes = 1L << 30;

    /// <summary>
    /// Up to this size (32 MiB) the copies serve every call; bigger models use them for decode steps
    /// of up to 16 rows (1 where the packed kernel does not run; see <see cref="LlamaModel.PreparedRowsLimit"/>).
    /// </summary>
    public const long CacheResidentBytes = 32L << 20;

    /// <summary>Bytes of all the module's parameters (what the copies would duplicate).</summary>
    public static long BytesOf(nn.Module module) => module.parameters().Sum(w => w.numel() * w.element_size());

    /// <summary>
    /// Whether decoding multiplies by packed copies (<see cref="Kernels.SkinnyMatmul"/>): float32 CPU
    /// weights on a CPU with 512-bit SIMD, unless turned off (the benchmark's libtorch-only baseline).
    /// </summary>
    public static bool PackedKernelEnabled { get; set; } = Kernels.SkinnyMatmul.IsSupported;

    internal static bool PacksFor(Tensor transposed) =>
        PackedKernelEnabled && transposed.dtype == ScalarType.Float32 && transposed.device_type == DeviceType.CPU;

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
