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

    internal Tensor Forward(Tensor x, AttentionInputs inputs)
    {
        var (b, t) = (x.shape[0], x.shape[1]);
        var q = Projection.Apply(q_proj, x, inputs.Compute).view(b, t, heads, headDim).transpose(1, 2);
        var k = Projection.Apply(k_proj, x, inputs.Compute).view(b, t, kvHeads, headDim).transpose(1, 2);
        var v = Projection.Apply(v_proj, x, inputs.Compute).view(b, t, kvHeads, headDim).transpose(1, 2);
        q = Rotary.Apply(q, inputs.Cos, inputs.Sin);
        k = Rotary.Apply(k, inputs.Cos, inputs.Sin);
        if (inputs.Cache is not null) (k, v) = inputs.Cache.Append(layerIndex, k, v);
        k = RepeatKv(k, heads / kvHeads);
        v = RepeatKv(v, heads / kvHeads);
        var o = nn.functional.scaled_dot_product_attention(q, k, v, inputs.Mask, is_casual: inputs.IsCausal);
        return Projection.Apply(o_proj, o.transpose(1, 2).reshape(b, t, heads * headDim), inputs.Compute);
    }

    /// <summary>[B, kv, S, D] -> [B, kv * rep, S, D], each KV head repeated for its group of query heads.</summary>
    public static Tensor RepeatKv(Tensor x, int rep)
    {
        if (rep == 1) return x;
        var (b, kv, s, d) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3]);
        return x.unsqueeze(2).expand(b, kv, rep, s, d).reshape(b, kv * rep, s, d);
    }
}
