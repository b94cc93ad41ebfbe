using TorchSharp;
using Pipeline.Model.Kernels;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Model.Llama;

/// <summary>Root-mean-square norm, computed in float32 then cast back (as Hugging Face Llama does).</summary>
public sealed class RmsNorm : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly double eps;

    public RmsNorm(long size, double eps) : base(nameof(RmsNorm))
    {
        this.eps = eps;
        weight = nn.Parameter(ones(size));
        RegisterComponents();
    }

    public Parameter Weight => weight;

    public override Tensor forward(Tensor x)
    {
        if (FusedRmsNorm.CanRun(x, weight)) return FusedRmsNorm.Apply(x, weight, eps);
        using var scope = NewDisposeScope();
        // Skipping the casts for float32 input matters: during decoding each op is a native call
        // on a tiny tensor, so op count, not arithmetic, sets the speed.
        var isFloat = x.dtype == ScalarType.Float32;
        var h = isFloat ? x : x.to_type(ScalarType.Float32);
        h = h * h.square().mean([-1L], keepdim: true).add_(eps).rsqrt_();
        return (weight * (isFloat ? h : h.to_type(x.dtype))).MoveToOuterDisposeScope();
    }

    /// <summary>[w, w]: the weight for <see cref="Forward(Tensor, bool)"/>, made while generating (see <see cref="InferenceWeights"/>).</summary>
    private Tensor? doubledWeight;

    internal void PrepareInferenceWeights()
    {
        DropInferenceWeights();
        using var _ = no_grad();
        doubledWeight = cat([weight, weight], 0);
    }

    internal void DropInferenceWeights()
    {
        doubledWeight?.Dispose();
        doubledWeight = null;
    }

    /// <summary>
    /// With <paramref name="usePrepared"/> (a generation call with prepared weights), the same norm in
    /// four native calls instead of six, for decode steps where the call count sets the speed:
    /// layer_norm over [x, -x] has mean 0 and variance mean(x^2), so its first half is exactly
    /// x / sqrt(mean(x^2) + eps) (up to float rounding). Otherwise, or without prepared weights or
    /// for non-float32 input, <see cref="forward"/>.
    /// </summary>
    internal Tensor Forward(Tensor x, bool usePrepared)
    {
        if (!usePrepared || doubledWeight is null || x.dtype != ScalarType.Float32) return forward(x);
        var size = x.shape[^1];
        var both = nn.functional.layer_norm(cat([x, x.neg()], -1), [2 * size], doubledWeight, null, eps);
        return both.narrow(-1, 0, size);
    }
}
