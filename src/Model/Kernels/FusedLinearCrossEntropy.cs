using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Model.Kernels;

/// <summary>
/// The LM head and the mean token cross-entropy in one step (a custom autograd function on the CPU):
/// the hidden states are projected a block of rows at a time, and each block's loss and logits'
/// gradient are taken while the block is still in cache (<see cref="CrossEntropyRows.LossAndGradient"/>).
/// Only the gradient, in the matmul's dtype, is kept for the backward pass, which is then two matmuls.
/// The separate form (<see cref="Llama.LlamaForCausalLM.Logits"/>, then <see cref="FusedCrossEntropy"/>)
/// writes float32 logits for the whole batch, casts them, keeps them, and writes a float32
/// gradient and its cast: for a 32,000-token vocabulary and 4,096 tokens that is 512 MB of logits
/// and as much again of gradient, where this keeps 256 MB of bfloat16 gradient (mixed precision).
/// The loss and the gradients equal the separate form's for a loss that is backpropagated as it
/// is (gradient 1); another output gradient scales the two results once more.
/// </summary>
internal static class FusedLinearCrossEntropy
{
    /// <summary>Turns it off (environment <c>PIPELINE_FUSED_HEAD_LOSS=0</c>), e.g. to compare against the separate form.</summary>
    public static bool Enabled { get; set; } = Environment.GetEnvironmentVariable("PIPELINE_FUSED_HEAD_LOSS") != "0";

    /// <summary>
    /// Logits per block (~1 M elements: 2 MB of bfloat16, 4 MB of float32), so that a block is still
    /// in cache between its matmul and its loss; but at least <see cref="MinBlockRows"/> rows.
    /// </summary>
    internal static long BlockElements { get; set; } = 1 << 20;

    /// <summary>
    /// Each block's matmul reads the whole LM head weight again, so a block has at least this many
    /// rows: with a 32,000-token vocabulary, 16-row blocks (what 1 M elements would give) made the
    /// step 20 % slower than the separate form, 128-row blocks 1.5x faster (4,096 tokens, hidden 512, bf16).
    /// </summary>
    internal const long MinBlockRows = 128;

    /// <summary>Rows per block: whole parts of <see cref="CrossEntropyRows"/> (16 rows), so partial losses sum as in the separate form.</summary>
    private static long BlockRows(int vocab)
    {
        var rows = Math.Max(MinBlockRows, BlockElements / vocab);
        return Math.Max(1, rows / CrossEntropyRows.RowsPerPart) * CrossEntropyRows.RowsPerPart;
    }

    /// <summary>Whether <see cref="Mean"/> can take these: [tokens, hidden] and [vocab, hidden] CPU tensors of one float dtype, [tokens] int64 targets.</summary>
    public static bool CanRun(Tensor hidden, Tensor weight, Tensor targets) =>
        Enabled && hidden.device_type == DeviceType.CPU && weight.device_type == DeviceType.CPU
        && hidden.dtype == weight.dtype && hidden.dtype is ScalarType.Float32 or ScalarType.BFloat16
        && hidden.dim() == 2 && weight.dim() == 2 && hidden.shape[1] == weight.shape[1] && weight.shape[0] <= int.MaxValue
        && targets.dtype == ScalarType.Int64 && targets.dim() == 1 && targets.shape[0] == hidden.shape[0];

    /// <summary>
    /// mean over counted tokens of cross_entropy(hidden @ weight.T, targets), ignoring
    /// <paramref name="ignoreIndex"/> (all ignored gives NaN, as in libtorch); differentiable in hidden and weight.
    /// </summary>
    public static Tensor Mean(Tensor hidden, Tensor weight, Tensor targets, long ignoreIndex = -100)
    {
        if (!CanRun(hidden, weight, targets))
            throw new ArgumentException($"expected [tokens, hidden] and [vocab, hidden] CPU tensors of one float dtype and [tokens] int64 targets; got {hidden.dtype} {Shape(hidden)}, {weight.dtype} {Shape(weight)}, {targets.dtype} {Shape(targets)}");
        hidden = hidden.contiguous();
        targets = targets.contiguous();
        var counted = FusedCrossEntropy.CountTargets(targets, weight.shape[0], ignoreIndex);
        if (is_grad_enabled() && (hidden.requires_grad || weight.requires_grad))
            return Function.apply(hidden, weight, targets, ignoreIndex, counted);
        return Run(hidden, weight, targets, ignoreIndex, counted, gradient: null);
    }

    private static string Shape(Tensor t) => "[" + string.Join(", ", t.shape) + "]";

    /// <summary>The loss; with <paramref name="gradient"/> ([tokens, vocab], weight's dtype) also d(loss)/d(logits) into it.</summary>
    private static unsafe Tensor Run(Tensor hidden, Tensor weight, Tensor targets, long ignoreIndex, long counted, Tensor? gradient)
    {
        var (rows, vocab) = (hidden.shape[0], (int)weight.shape[0]);
        var bfloat16 = weight.dtype == ScalarType.BFloat16;
        var blockRows = BlockRows(vocab);
        var partLosses = new double[CrossEntropyRows.Parts(rows)];
        var scale = counted == 0 ? float.NaN : 1f / counted;
        var targetIds = (long*)HostFloats.Address(targets, ScalarType.Int64);
        var gradientBase = gradient is null ? null : (byte*)HostFloats.Address(gradient, weight.dtype);
        long elementBytes = BFloat16Lanes.ElementBytes(bfloat16);
        using var weightT = weight.t();
        fixed (double* parts = partLosses)
            for (var first = 0L; first < rows; first += blockRows)
            {
                var count = Math.Min(blockRows, rows - first);
                using var scope = NewDisposeScope();
                var logits = hidden.narrow(0, first, count).mm(weightT);
                CrossEntropyRows.LossAndGradient(HostFloats.Address(logits, weight.dtype), targetIds + first, ignoreIndex,
                    parts + first / CrossEntropyRows.RowsPerPart, scale, gradientBase is null ? null : gradientBase + first * vocab * elementBytes,
                    bfloat16, count, vocab, LibtorchThreads.Count);
            }
        // Blocks are whole parts, so the partial sums are those of the separate form, for any block size.
        return FusedCrossEntropy.MeanOf(partLosses, counted);
    }

    private sealed class Function : autograd.SingleTensorFunction<Function>
    {
        public override string Name => "PipelineLinearCrossEntropy";

        public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
        {
            var (hidden, weight, targets, ignoreIndex, counted) = ((Tensor)vars[0], (Tensor)vars[1], (Tensor)vars[2], (long)vars[3], (long)vars[4]);
            var gradient = empty(hidden.shape[0], weight.shape[0], weight.dtype);
            var loss = Run(hidden, weight, targets, ignoreIndex, counted, gradient);
            ctx.save_for_backward([gradient, hidden, weight]);
            return loss;
        }

        public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
        {
            var saved = ctx.get_saved_variables();
            using var gradient = saved[0];
            using var hidden = saved[1];
            using var weight = saved[2];
            var hiddenGradient = gradient.mm(weight);
            var weightGradient = gradient.t().mm(hidden);
            // The forward pass took the output gradient to be 1 (a loss backpropagated as it is).
            var outer = gradOutput.to_type(ScalarType.Float32).item<float>();
            if (outer != 1f)
            {
                hiddenGradient.mul_(outer);
                weightGradient.mul_(outer);
            }
            return [hiddenGradient, weightGradient, null!, null!, null!];
        }
    }
}
