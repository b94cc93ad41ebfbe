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
        if (gateUpPrepared is not null && usePrepared)
        {
            var gateUp = gateUpPrepared.Apply(x);
            var width = gateUp.shape[^1] / 2;
            return downPrepared!.Apply(nn.functional.silu(gateUp.narrow(-1, 0, width)) * gateUp.narrow(-1, width, width));
        }
        return Projection.Apply(down_proj, nn.functional.silu(Projection.Apply(gate_proj, x, compute)) * Projection.Apply(up_proj, x, compute), compute);
    }

    /// <summary>While generating (see <see cref="InferenceWeights"/>): gate and up fused into one map, down prepared alone.</summary>
    private PreparedLinear? gateUpPrepared;
    private PreparedLinear? downPrepared;

    internal long PreparedRows => Math.Min(gateUpPrepared?.MaxRows ?? 0, downPrepared?.MaxRows ?? 0);

    internal void PrepareInferenceWeights(bool anyRows)
    {
        DropInferenceWeights();
        gateUpPrepared = new PreparedLinear([gate_proj.weight!, up_proj.weight!], anyRows);
        downPrepared = new PreparedLinear([down_proj.weight!], anyRows);
    }

    internal void DropInferenceWeights()
    {
        gateUpPrepared?.Dispose();
        downPrepared?.Dispose();
        (gateUpPrepared, downPrepared) = (null, null);
    }
}
