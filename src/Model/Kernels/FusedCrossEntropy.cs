using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Model.Kernels;

/// <summary>
/// Mean token cross-entropy of [tokens, vocab] logits against [tokens] int64 targets, as
/// <c>nn.functional.cross_entropy(logits, targets, ignore_index)</c> computes it (rows whose target is
/// the ignore index count for nothing; all of them ignored gives NaN, as in libtorch). On the CPU it
/// runs through <see cref="CrossEntropyRows"/> (a custom autograd function); elsewhere through libtorch.
/// </summary>
internal static class FusedCrossEntropy
{
    /// <summary>Turns the fused loss off (environment <c>PIPELINE_FUSED_LOSS=0</c>), e.g. to compare against libtorch.</summary>
    public static bool Enabled { get; set; } = Environment.GetEnvironmentVariable("PIPELINE_FUSED_LOSS") != "0";

    public static Tensor Mean(Tensor logits, Tensor targets, long ignoreIndex = -100)
    {
        var logits32 = logits.dtype == ScalarType.Float32 ? logits : logits.to_type(ScalarType.Float32);
        if (!Enabled || logits.device_type != DeviceType.CPU || logits.dim() != 2 || targets.dtype != ScalarType.Int64
            || targets.dim() != 1 || targets.shape[0] != logits.shape[0] || logits.shape[1] > int.MaxValue)
            return nn.functional.cross_entropy(logits32, targets, ignore_index: ignoreIndex);
        targets = targets.contiguous();
        var counted = CountTargets(targets, logits.shape[1], ignoreIndex);
        if (is_grad_enabled() && logits32.requires_grad) return Function.apply(logits32, targets, ignoreIndex, counted);
        using var logSumExp = empty(logits.shape[0]);
        return Forward(logits32.contiguous(), targets, ignoreIndex, counted, logSumExp);
    }

    /// <summary>
    /// The targets that count (not the ignore index), in the same pass that rejects an id outside the
    /// vocabulary: the kernel indexes rows by target, so such an id is an error here, as in libtorch.
    /// </summary>
    internal static unsafe long CountTargets(Tensor targets, long vocab, long ignoreIndex)
    {
        var ids = new ReadOnlySpan<long>(HostFloats.Address(targets, ScalarType.Int64), checked((int)targets.numel()));
        var counted = 0L;
        for (var i = 0; i < ids.Length; i++)
        {
            if (ids[i] == ignoreIndex) continue;
            if (ids[i] < 0 || ids[i] >= vocab)
                throw new ArgumentException($"target {ids[i]} at position {i} is outside the vocabulary of {vocab} (ignore index {ignoreIndex})", nameof(targets));
            counted++;
        }
        return counted;
    }

    private static unsafe Tensor Forward(Tensor logits, Tensor targets, long ignoreIndex, long counted, Tensor logSumExp)
    {
        var (rows, vocab) = (logits.shape[0], (int)logits.shape[1]);
        var partLosses = new double[CrossEntropyRows.Parts(rows)];
        fixed (double* parts = partLosses)
            CrossEntropyRows.Forward(HostFloats.Pointer(logits), (long*)HostFloats.Address(targets, ScalarType.Int64), ignoreIndex,
                HostFloats.Pointer(logSumExp), parts, rows, vocab, LibtorchThreads.Count);
        return MeanOf(partLosses, counted);
    }

    /// <summary>
    /// The mean loss from the kernel's partial sums, added in part order: the same loss for any thread
    /// count (parts are fixed ranges of rows). No counted target gives NaN, as in libtorch.
    /// </summary>
    internal static Tensor MeanOf(double[] partLosses, long counted)
    {
        var total = 0.0;
        foreach (var part in partLosses) total += part;
        return tensor(counted == 0 ? float.NaN : (float)(total / counted));
    }

    private sealed class Function : autograd.SingleTensorFunction<Function>
    {
        public override string Name => "PipelineCrossEntropy";

        public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
        {
            var (logits, targets, ignoreIndex, counted) = (((Tensor)vars[0]).contiguous(), (Tensor)vars[1], (long)vars[2], (long)vars[3]);
            var logSumExp = empty(logits.shape[0]);
            var loss = Forward(logits, targets, ignoreIndex, counted, logSumExp);
            ctx.save_for_backward([logits, targets, logSumExp]);
            ctx.save_data("ignore", ignoreIndex);
            ctx.save_data("counted", counted);
            return loss;
        }

        public override unsafe List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
        {
            var saved = ctx.get_saved_variables();
            using var logits = saved[0];
            using var targets = saved[1];
            using var logSumExp = saved[2];
            var (ignoreIndex, counted) = ((long)ctx.get_data("ignore"), (long)ctx.get_data("counted"));
            var scale = counted == 0 ? float.NaN : gradOutput.to_type(ScalarType.Float32).item<float>() / counted;
            var gradient = empty_like(logits);
            CrossEntropyRows.Backward(HostFloats.Pointer(logits), (long*)HostFloats.Address(targets, ScalarType.Int64), ignoreIndex,
                HostFloats.Pointer(logSumExp), scale, HostFloats.Pointer(gradient), logits.shape[0], (int)logits.shape[1], LibtorchThreads.Count);
            return [gradient, null!, null!, null!];
        }
    }
}
