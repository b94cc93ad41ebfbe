using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Model.Kernels;

/// <summary>
/// silu(gate) * up for float32 or bfloat16 CPU activations through <see cref="SwiGluElements"/>: one
/// pass forward, one backward (a custom autograd function). Other devices and dtypes keep libtorch's
/// silu and mul in <see cref="Llama.LlamaMlp"/>.
/// </summary>
internal static class FusedSwiGlu
{
    /// <summary>Turns the fused SwiGLU off (environment <c>PIPELINE_FUSED_SWIGLU=0</c>), e.g. to compare against libtorch's ops.</summary>
    public static bool Enabled { get; set; } = Environment.GetEnvironmentVariable("PIPELINE_FUSED_SWIGLU") != "0";

    public static bool CanRun(Tensor gate, Tensor up) =>
        Enabled && gate.device_type == DeviceType.CPU && up.device_type == DeviceType.CPU
        && gate.dtype == up.dtype && gate.dtype is ScalarType.Float32 or ScalarType.BFloat16
        && gate.shape.SequenceEqual(up.shape);

    public static Tensor Apply(Tensor gate, Tensor up)
    {
        if (is_grad_enabled() && (gate.requires_grad || up.requires_grad)) return Function.apply(gate, up);
        return Forward(gate.contiguous(), up.contiguous());
    }

    private static unsafe Tensor Forward(Tensor gate, Tensor up)
    {
        var output = empty_like(gate);
        var dtype = gate.dtype;
        SwiGluElements.Forward(HostFloats.Address(gate, dtype), HostFloats.Address(up, dtype), HostFloats.Address(output, dtype), gate.numel(),
            dtype == ScalarType.BFloat16, LibtorchThreads.Count);
        return output;
    }

    private sealed class Function : autograd.SingleTensorFunction<Function>
    {
        public override string Name => "PipelineSwiGlu";

        public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
        {
            var (gate, up) = (((Tensor)vars[0]).contiguous(), ((Tensor)vars[1]).contiguous());
            ctx.save_for_backward([gate, up]);
            return Forward(gate, up);
        }

        public override unsafe List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
        {
            var saved = ctx.get_saved_variables();
            using var gate = saved[0];
            using var up = saved[1];
            using var dh = gradOutput.to_type(gate.dtype).contiguous();
            var (dgate, dup) = (empty_like(gate), empty_like(up));
            var dtype = gate.dtype;
            SwiGluElements.Backward(HostFloats.Address(gate, dtype), HostFloats.Address(up, dtype), HostFloats.Address(dh, dtype),
                HostFloats.Address(dgate, dtype), HostFloats.Address(dup, dtype), gate.numel(), dtype == ScalarType.BFloat16, LibtorchThreads.Count);
            return [dgate, dup];
        }
    }
}
