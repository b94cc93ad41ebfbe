using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Model.Kernels;

/// <summary>
/// Causal self-attention for bf16 training on the CPU as two batched matmuls around a C# softmax
/// (<see cref="CausalSoftmaxRows"/>), forward and backward (a custom autograd function). libtorch's
/// CPU flash attention, which <c>scaled_dot_product_attention</c> picks, runs blocks of queries
/// through small matmuls with the softmax between them; at training lengths (a few hundred tokens)
/// the [T, T] probabilities are small, and whole-sequence batched bf16 matmuls (oneDNN) with one
/// pass of softmax are faster: B 8, H 4, T 256, D 64, forward and backward, alternating in one
/// process: medians 23-25 ms against 30-32. In float32 the two measured the same (27-30 against
/// 25-29 ms), so float32 keeps libtorch's, which does not hold the probabilities. They are kept for
/// the backward pass (B x H x T x T elements), so only sequences up to <see cref="MaxScoreElements"/>
/// take this path; longer ones, masks other than plain causal, caches and other devices keep libtorch's.
/// The scores are stored in bf16 before the float32 softmax (as in libtorch's math attention; its
/// flash kernel keeps them in float32): tests hold both against float32 attention.
/// </summary>
internal static class FusedCausalAttention
{
    /// <summary>Turns it off (environment <c>PIPELINE_FUSED_ATTENTION=0</c>), e.g. to compare against libtorch.</summary>
    public static bool Enabled { get; set; } = Environment.GetEnvironmentVariable("PIPELINE_FUSED_ATTENTION") != "0";

    /// <summary>The most score elements (B x H x T x T) kept per layer: 64 M (128 MB in bf16, 256 MB in float32).</summary>
    internal const long MaxScoreElements = 64L << 20;

    /// <summary>Whether <see cref="Apply"/> takes these: [B, H, T, D] bf16 CPU queries, keys and values, needing gradients (float32 too when <paramref name="float32"/>: tests).</summary>
    public static bool CanRun(Tensor q, Tensor k, Tensor v, bool float32 = false) =>
        Enabled && is_grad_enabled() && (q.requires_grad || k.requires_grad || v.requires_grad)
        && q.device_type == DeviceType.CPU && k.device_type == DeviceType.CPU && v.device_type == DeviceType.CPU
        && (q.dtype == ScalarType.BFloat16 || float32 && q.dtype == ScalarType.Float32) && k.dtype == q.dtype && v.dtype == q.dtype
        && q.dim() == 4 && k.dim() == 4 && v.dim() == 4
        && q.shape.SequenceEqual(k.shape) && q.shape.SequenceEqual(v.shape)
        && q.shape[0] * q.shape[1] * q.shape[2] * q.shape[2] <= MaxScoreElements;

    /// <summary>softmax(q k^T / sqrt(D) + causal mask) v, as <c>scaled_dot_product_attention(q, k, v, is_causal: true)</c>.</summary>
    public static Tensor Apply(Tensor q, Tensor k, Tensor v) => Function.apply(q, k, v);

    private static unsafe void Softmax(Tensor scores, float scale)
    {
        var bfloat16 = scores.dtype == ScalarType.BFloat16;
        CausalSoftmaxRows.Forward(HostFloats.Address(scores, scores.dtype), bfloat16, scale, scores.numel() / scores.shape[^1], (int)scores.shape[^1], LibtorchThreads.Count);
    }

    private static unsafe void SoftmaxBackward(Tensor probabilities, Tensor gradient, float scale) =>
        CausalSoftmaxRows.Backward(HostFloats.Address(probabilities, probabilities.dtype), HostFloats.Address(gradient, gradient.dtype),
            probabilities.dtype == ScalarType.BFloat16, scale, probabilities.numel() / probabilities.shape[^1], (int)probabilities.shape[^1], LibtorchThreads.Count);

    private sealed class Function : autograd.SingleTensorFunction<Function>
    {
        public override string Name => "PipelineCausalAttention";

        public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
        {
            // Heads split from [B, T, H * D] are strided views; batched matmuls copy such inputs on
            // every call (five times each over forward and backward), so they are copied once here.
            var (q, k, v) = (((Tensor)vars[0]).contiguous(), ((Tensor)vars[1]).contiguous(), ((Tensor)vars[2]).contiguous());
            var scale = 1f / MathF.Sqrt(q.shape[^1]);
            var probabilities = q.matmul(k.transpose(-2, -1)).contiguous();
            Softmax(probabilities, scale);
            ctx.save_for_backward([q, k, v, probabilities]);
            ctx.save_data("scale", scale);
            return probabilities.matmul(v);
        }

        public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
        {
            var saved = ctx.get_saved_variables();
            using var q = saved[0];
            using var k = saved[1];
            using var v = saved[2];
            using var probabilities = saved[3];
            var scale = (float)ctx.get_data("scale");
            using var gradOut = gradOutput.contiguous();
            var gradV = probabilities.transpose(-2, -1).matmul(gradOut);
            using var gradScores = gradOut.matmul(v.transpose(-2, -1)).contiguous();
            SoftmaxBackward(probabilities, gradScores, scale);
            var gradQ = gradScores.matmul(k);
            var gradK = gradScores.transpose(-2, -1).matmul(q);
            return [gradQ, gradK, gradV];
        }
    }
}
