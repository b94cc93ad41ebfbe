using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Model.Kernels;

/// <summary>
/// Rotary embedding of projected queries or keys [B, T, heads x D] (float32 or bfloat16, CPU) through
/// <see cref="RotaryRows"/>, before they are split into heads: one pass forward and one backward (a
/// custom autograd function). The composite <see cref="Llama.Rotary.ApplySigned"/> is a multiply, a
/// roll and an addcmul forward and about as many ops backward, over each layer's queries and keys:
/// measured at 36-45 ms of a 7M-parameter bf16 training step (8 x 256 tokens) on the development VM.
/// Other devices, dtypes and layouts keep the composite form.
/// </summary>
internal static class FusedRotary
{
    /// <summary>Turns the fused rotary off (environment <c>PIPELINE_FUSED_ROTARY=0</c>), e.g. to compare against the composite form.</summary>
    public static bool Enabled { get; set; } = Environment.GetEnvironmentVariable("PIPELINE_FUSED_ROTARY") != "0";

    /// <param name="projected">[B, T, heads x D].</param>
    /// <param name="cos">[B or 1, 1, T, D], as the model gathers it; <paramref name="signedSin"/> likewise.</param>
    public static bool CanRun(Tensor projected, Tensor cos, Tensor signedSin, int headDim) =>
        Enabled && projected.device_type == DeviceType.CPU && cos.device_type == DeviceType.CPU && signedSin.device_type == DeviceType.CPU
        && projected.dtype is ScalarType.Float32 or ScalarType.BFloat16 && cos.dtype == projected.dtype && signedSin.dtype == projected.dtype
        && headDim % 2 == 0 && projected.dim() == 3 && projected.shape[2] % headDim == 0
        && cos.dim() == 4 && cos.shape[1] == 1 && cos.shape[2] == projected.shape[1] && cos.shape[3] == headDim
        && (cos.shape[0] == 1 || cos.shape[0] == projected.shape[0])
        && cos.is_contiguous() && signedSin.is_contiguous() && signedSin.shape.SequenceEqual(cos.shape);

    /// <summary>The rotation of <paramref name="projected"/>; the head size is the tables' last dimension (see <see cref="CanRun"/>).</summary>
    public static Tensor Apply(Tensor projected, Tensor cos, Tensor signedSin)
    {
        if (is_grad_enabled() && projected.requires_grad) return Function.apply(projected, cos, signedSin);
        return Run(projected.contiguous(), cos, signedSin, backward: false);
    }

    private static unsafe Tensor Run(Tensor x, Tensor cos, Tensor signedSin, bool backward)
    {
        var output = empty_like(x);
        var dtype = x.dtype;
        var (b, t, headDim) = (x.shape[0], (int)x.shape[1], (int)cos.shape[^1]);
        RotaryRows.Run(HostFloats.Address(x, dtype), HostFloats.Address(cos, dtype), HostFloats.Address(signedSin, dtype), HostFloats.Address(output, dtype),
            b * t, t, (int)(x.shape[2] / headDim), headDim, cosPerRow: cos.shape[0] != 1, dtype == ScalarType.BFloat16, backward, LibtorchThreads.Count);
        return output;
    }

    private sealed class Function : autograd.SingleTensorFunction<Function>
    {
        public override string Name => "PipelineRotary";

        public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
        {
            var (x, cos, signedSin) = (((Tensor)vars[0]).contiguous(), (Tensor)vars[1], (Tensor)vars[2]);
            ctx.save_for_backward([cos, signedSin]);
            return Run(x, cos, signedSin, backward: false);
        }

        public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
        {
            var saved = ctx.get_saved_variables();
            using var cos = saved[0];
            using var signedSin = saved[1];
            using var dy = gradOutput.to_type(cos.dtype).contiguous();
            // The tables are buffers, never trained: no gradient for them.
            return [Run(dy, cos, signedSin, backward: true), null!, null!];
        }
    }
}
