using Pipeline.Model.Kernels;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Model.Llama;

/// <summary>SwiGLU feed-forward: down(silu(gate(x)) * up(x)).</summary>
public sealed class LlamaMlp : nn.Module<Tensor, Tensor>
{
    private readonly Linear gate_proj;
    private readonly Linear up_proj;
    private readonly Linear down_proj;

    public LlamaMlp(int hidden, int intermediate) : base(nameof(LlamaMlp))
    {
        gate_proj = nn.Linear(hidden, intermediate, hasBias: false);
        up_proj = nn.Linear(hidden, intermediate, hasBias: false);
        down_proj = nn.Linear(intermediate, hidden, hasBias: false);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => Forward(x, null, false);

    internal Tensor Forward(Tensor x, ScalarType? compute, bool usePrepared)
    {
        if (gateUpT is not null && usePrepared)
        {
            var gateUp = x.matmul(gateUpT);
            var width = gateUp.shape[^1] / 2;
            return (nn.functional.silu(gateUp.narrow(-1, 0, width)) * gateUp.narrow(-1, width, width)).matmul(downT!);
        }
        var gate = Projection.Apply(gate_proj, x, compute);
        var up = Projection.Apply(up_proj, x, compute);
        var activated = FusedSwiGlu.CanRun(gate, up) ? FusedSwiGlu.Apply(gate, up) : nn.functional.silu(gate) * up;
        return Projection.Apply(down_proj, activated, compute);
    }

    /// <summary>While generating (see <see cref="InferenceWeights"/>): gate and up fused and transposed, down transposed.</summary>
    private Tensor? gateUpT;
    private Tensor? downT;

    internal void PrepareInferenceWeights()
    {
        DropInferenceWeights();
        gateUpT = InferenceWeights.Transposed(gate_proj.weight!, up_proj.weight!);
        downT = InferenceWeights.Transposed(down_proj.weight!);
    }

    internal void DropInferenceWeights()
    {
        gateUpT?.Dispose();
        downT?.Dispose();
        (gateUpT, downT) = (null, null);
    }
}
