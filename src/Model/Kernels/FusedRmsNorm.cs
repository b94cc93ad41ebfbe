using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Model.Kernels;

/// <summary>
/// RMSNorm of float32 CPU activations through <see cref="RmsNormRows"/>: one pass forward, one pass
/// backward (a custom autograd function), instead of libtorch's chain of elementwise ops. Other
/// devices and dtypes keep the composite form in <see cref="Llama.RmsNorm"/>.
/// </summary>
internal static class FusedRmsNorm
{
    /// <summary>Turns the fused norm off (environment <c>PIPELINE_FUSED_NORM=0</c>), e.g. to compare against the composite form.</summary>
    public static bool Enabled { get; set; } = Environment.GetEnvironmentVariable("PIPELINE_FUSED_NORM") != "0";

    public static bool CanRun(Tensor x, Tensor weight) =>
        Enabled && x.dtype == ScalarType.Float32 && weight.dtype == ScalarType.Float32
        && x.device_type == DeviceType.CPU && weight.device_type == DeviceType.CPU
        && x.dim() >= 1 && x.shape[^1] == weight.shape[0] && weight.is_contiguous();

    /// <summary>weight * x / sqrt(mean(x^2, last dim) + eps); differentiable in x and weight.</summary>
    public static Tensor Apply(Tensor x, Tensor weight, double eps)
    {
        if (is_grad_enabled() && (x.requires_grad || weight.requires_grad))
            return Function.apply(x, weight, eps);
        using var rstd = empty(Rows(x), ScalarType.Float32);
        return Forward(x.contiguous(), weight, eps, rstd);
    }

    private static long Rows(Tensor x) => x.numel() / x.shape[^1];

    private static unsafe Tensor Forward(Tensor x, Tensor weight, double eps, Tensor rstd)
    {
        var output = empty_like(x);
        RmsNormRows.Forward(HostFloats.Pointer(x), HostFloats.Pointer(weight), HostFloats.Pointer(output), HostFloats.Pointer(rstd),
            Rows(x), (int)x.shape[^1], (float)eps, LibtorchThreads.Count);
        return output;
    }

    private sealed class Function : autograd.SingleTensorFunction<Function>
    {
        public override string Name => "PipelineRmsNorm";

        public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
        {
            var (x, weight, eps) = ((Tensor)vars[0], (Tensor)vars[1], (double)vars[2]);
            x = x.contiguous();
            var rstd = empty(Rows(x), ScalarType.Float32);
            var output = Forward(x, weight, eps, rstd);
            ctx.save_for_backward([x, weight, rstd]);
            return output;
        }

        public override unsafe List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
        {
            var saved = ctx.get_saved_variables();
            using var x = saved[0];
            using var weight = saved[1];
            using var rstd = saved[2];
            using var dy = gradOutput.contiguous();
            var rows = Rows(x);
            var size = (int)x.shape[^1];
            var dx = empty_like(x);
            using var parts = zeros(RmsNormRows.Parts(rows), size);
            RmsNormRows.Backward(HostFloats.Pointer(x), HostFloats.Pointer(weight), HostFloats.Pointer(rstd), HostFloats.Pointer(dy),
                HostFloats.Pointer(dx), HostFloats.Pointer(parts), rows, size, LibtorchThreads.Count);
            // Summed in part order on one thread: the same bits for any thread count.
            var dweight = parts.sum(dim: 0);
            return [dx, dweight, null!];
        }
    }
}
