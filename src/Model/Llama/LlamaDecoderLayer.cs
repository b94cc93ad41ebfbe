using static TorchSharp.torch;

namespace Pipeline.Model.Llama;

/// <summary>Pre-norm block: x + attn(norm(x)), then h + mlp(norm(h)).</summary>
public sealed class LlamaDecoderLayer : nn.Module
{
    private readonly LlamaAttention self_attn;
    private readonly LlamaMlp mlp;
    private readonly RmsNorm input_layernorm;
    private readonly RmsNorm post_attention_layernorm;

    public LlamaDecoderLayer(LlamaConfig config, int layerIndex) : base(nameof(LlamaDecoderLayer))
    {
        self_attn = new LlamaAttention(config, layerIndex);
        mlp = new LlamaMlp(config.HiddenSize, config.IntermediateSize);
        input_layernorm = new RmsNorm(config.HiddenSize, config.RmsNormEps);
        post_attention_layernorm = new RmsNorm(config.HiddenSize, config.RmsNormEps);
        RegisterComponents();
    }

    internal void PrepareInferenceWeights()
    {
        self_attn.PrepareInferenceWeights();
        mlp.PrepareInferenceWeights();
        input_layernorm.PrepareInferenceWeights();
        post_attention_layernorm.PrepareInferenceWeights();
    }

    internal void DropInferenceWeights()
    {
        self_attn.DropInferenceWeights();
        mlp.DropInferenceWeights();
        input_layernorm.DropInferenceWeights();
        post_attention_layernorm.DropInferenceWeights();
    }

    internal Tensor Forward(Tensor x, AttentionInputs inputs)
    {
        var h = x + self_attn.Forward(input_layernorm.Forward(x, inputs.UsePrepared), inputs);
        return h + mlp.Forward(post_attention_layernorm.Forward(h, inputs.UsePrepared), inputs.Compute, inputs.UsePrepared);
    }
}
