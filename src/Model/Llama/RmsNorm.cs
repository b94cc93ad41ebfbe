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
        var inputType = x.dtype;
        var h = x.to_type(ScalarType.Float32);
        var variance = h.pow(2).mean([-1L], keepdim: true);
        h = h * rsqrt(variance + eps);
        return (weight * h.to_type(inputType)).MoveToOuterDisposeScope();
    }
}
