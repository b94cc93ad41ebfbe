using Pipeline.Model.Kernels;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Model.Llama;

/// <summary>Grouped-query self-attention with rotary embeddings and fused scaled-dot-product attention.</summary>
public sealed class LlamaAttention : nn.Module
{
    private readonly Linear q_proj;
    private readonly Linear k_proj;
    private readonly Linear v_proj;
    private readonly Linear o_proj;
    private readonly int heads;
    private readonly int kvHeads;
    private readonly int headDim;
    private readonly int layerIndex;

    public LlamaAttention(LlamaConfig config, int layerIndex) : base(nameof(LlamaAttention))
    {
        heads = config.NumAttentionHeads;
        kvHeads = config.KeyValueHeads;
        headDim = config.HeadDim;
        this.layerIndex = layerIndex;
        q_proj = nn.Linear(config.HiddenSize, heads * headDim, hasBias: false);
        k_proj = nn.Linear(config.HiddenSize, kvHeads * headDim, hasBias: false);
        v_proj = nn.Linear(config.HiddenSize, kvHeads * headDim, hasBias: false);
        o_proj = nn.Linear(heads * headDim, config.HiddenSize, hasBias: false);
        RegisterComponents();
    }

    /// <summary>
    /// While generating (see <see cref="InferenceWeights"/>): q/k/v weights concatenated and stored
    /// transposed, [hidden, (H + 2 KV) * D], so one x @ W matmul, one view and one rotary over q and
    /// k together replace three of each; o_proj transposed likewise.
    /// </summary>
    private Tensor? qkvT;
    private Tensor? oT;

    internal void PrepareInferenceWeights()
    {
        DropInferenceWeights();
        qkvT = InferenceWeights.Transposed(q_proj.weight!, k_proj.weight!, v_proj.weight!);
        oT = InferenceWeights.Transposed(o_proj.weight!);
    }

    internal void DropInferenceWeights()
    {
        qkvT?.Dispose();
        oT?.Dispose();
        (qkvT, oT) = (null, null);
    }

    internal Tensor Forward(Tensor x, AttentionInputs inputs)
    {
        var (b, t) = (x.shape[0], x.shape[1]);
        var prepared = qkvT is not null && inputs.UsePrepared;
        var (q, k, v) = prepared ? FusedProjections(x, inputs, b, t) : Projections(x, inputs, b, t);
        if (inputs.Cache is not null) (k, v) = inputs.Cache.Append(layerIndex, k, v);
        k = RepeatKv(k, heads / kvHeads);
        v = RepeatKv(v, heads / kvHeads);
        var o = inputs.IsCausal && inputs.Mask is null && inputs.Cache is null && FusedCausalAttention.CanRun(q, k, v)
            ? FusedCausalAttention.Apply(q, k, v)
            : nn.functional.scaled_dot_product_attention(q, k, v, inputs.Mask, is_casual: inputs.IsCausal);
        // A single query position needs no transpose: [B, H, 1, D] and [B, 1, H * D] hold the same order.
        var merged = t == 1 ? o.reshape(b, 1, heads * headDim) : o.transpose(1, 2).reshape(b, t, heads * headDim);
        return prepared ? merged.matmul(oT!) : Projection.Apply(o_proj, merged, inputs.Compute);
    }

    /// <summary>[B, T, n * D] -> [B, n, T, D]; for T = 1 a plain view does it.</summary>
    private Tensor SplitHeads(Tensor projected, long b, long t, int n) =>
        t == 1 ? projected.view(b, n, 1, headDim) : projected.view(b, t, n, headDim).transpose(1, 2);

    private (Tensor Q, Tensor K, Tensor V) Projections(Tensor x, AttentionInputs inputs, long b, long t)
    {
        var q = RotatedHeads(Projection.Apply(q_proj, x, inputs.Compute), inputs, b, t, heads);
        var k = RotatedHeads(Projection.Apply(k_proj, x, inputs.Compute), inputs, b, t, kvHeads);
        var v = SplitHeads(Projection.Apply(v_proj, x, inputs.Compute), b, t, kvHeads);
        return (q, k, v);
    }

    /// <summary>[B, T, n * D] rotated and split into heads: in one C# pass before the split where it can run (see FusedRotary).</summary>
    private Tensor RotatedHeads(Tensor projected, AttentionInputs inputs, long b, long t, int n) =>
        FusedRotary.CanRun(projected, inputs.Cos, inputs.SignedSin, headDim)
            ? SplitHeads(FusedRotary.Apply(projected, inputs.Cos, inputs.SignedSin), b, t, n)
            : Rotary.ApplySigned(SplitHeads(projected, b, t, n), inputs.Cos, inputs.SignedSin);

    private (Tensor Q, Tensor K, Tensor V) FusedProjections(Tensor x, AttentionInputs inputs, long b, long t)
    {
        var qkv = SplitHeads(x.matmul(qkvT!), b, t, heads + 2 * kvHeads);
        // Rotating v along with q and k wastes a little arithmetic but saves a native call; v is read unrotated.
        var rotated = Rotary.ApplySigned(qkv, inputs.Cos, inputs.SignedSin);
        return (rotated.narrow(1, 0, heads), rotated.narrow(1, heads, kvHeads), qkv.narrow(1, heads + kvHeads, kvHeads));
    }

    /// <summary>[B, kv, S, D] -> [B, kv * rep, S, D], each KV head repeated for its group of query heads.</summary>
    public static Tensor RepeatKv(Tensor x, int rep)
    {
        if (rep == 1) return x;
        var (b, kv, s, d) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3]);
        return x.unsqueeze(2).expand(b, kv, rep, s, d).reshape(b, kv * rep, s, d);
    }
}
