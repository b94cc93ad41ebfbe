using TorchSharp;
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
        using var scope = NewDisposeScope();
        // Skipping the casts for float32 input matters: during decoding each op is a native call
        // on a tiny tensor, so op count, not arithmetic, sets the speed.
        var isFloat = x.dtype == ScalarType.Float32;
        var h = isFloat ? x : x.to_type(ScalarType.Float32);
        h = h * h.square().mean([-1L], keepdim: true).add_(eps).rsqrt_();
        return (weight * (isFloat ? h : h.to_type(x.dtype))).MoveToOuterDisposeScope();
    }
}
