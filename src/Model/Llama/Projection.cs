using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Model.Llama;

/// <summary>
/// The bias-free linear maps of the model under an optional compute dtype (mixed precision): the
/// input and the (float32 master) weight are cast to the compute dtype for the matmul, so gradients
/// still reach the float32 weight through the cast. On CPUs with AMX or AVX512-BF16, oneDNN's bf16
/// matmul runs several times faster than fp32 (measured 5-7x at n = 256..2048 on the development
/// machine), while norms, softmax statistics, residual sums and the loss stay in float32.
/// </summary>
internal static class Projection
{
    public static Tensor Apply(Linear layer, Tensor x, ScalarType? compute) => Apply(layer.weight!, x, compute);

    public static Tensor Apply(Tensor weight, Tensor x, ScalarType? compute)
    {
        var (input, castWeight) = Operands(weight, x, compute);
        return nn.functional.linear(input, castWeight);
    }

    /// <summary>The input and weight in the compute dtype (unchanged without one), as the matmul takes them; also for the fused LM head and loss.</summary>
    public static (Tensor Input, Tensor Weight) Operands(Tensor weight, Tensor x, ScalarType? compute)
    {
        if (compute is not { } dtype) return (x, weight);
        return (x.dtype == dtype ? x : x.to_type(dtype), weight.dtype == dtype ? weight : weight.to_type(dtype));
    }
}
