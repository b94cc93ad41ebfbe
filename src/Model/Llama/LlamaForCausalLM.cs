using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Model.Llama;

/// <summary>
/// Backbone + LM head (HF <c>LlamaForCausalLM</c>). With tied embeddings there is no separate
/// <c>lm_head</c> parameter (HF omits it from checkpoints too); logits use the embedding matrix.
/// </summary>
public sealed class LlamaForCausalLM : nn.Module<Tensor, Tensor>
{
    private readonly LlamaModel model;
    private readonly Linear? lm_head;

    public LlamaForCausalLM(LlamaConfig config) : base(nameof(LlamaForCausalLM))
    {
        config.Validate();
        model = new LlamaModel(config);
        if (!config.TieWordEmbeddings) lm_head = nn.Linear(config.HiddenSize, config.VocabSize, hasBias: false);
        RegisterComponents();
    }

    public LlamaConfig Config => model.Config;

    public LlamaModel Backbone => model;

    /// <summary>Random init (normal(0, initializer_range), norms at 1), seeded, then moved to device/dtype.</summary>
    public static LlamaForCausalLM Create(LlamaConfig config, long seed = 0, Device? device = null, ScalarType dtype = ScalarType.Float32)
    {
        var m = new LlamaForCausalLM(config);
        ModelInit.Initialize(m, config.InitializerRange, seed);
        return m.MoveTo(device, dtype);
    }

    public LlamaForCausalLM MoveTo(Device? device, ScalarType dtype)
    {
        if (dtype != ScalarType.Float32) this.to(dtype);
        if (device is not null) this.to(device);
        return this;
    }

    public override Tensor forward(Tensor inputIds) => Forward(inputIds);

    /// <summary>[B, T] -> logits [B, T, vocab].</summary>
    public Tensor Forward(Tensor inputIds, ForwardOptions? options = null) => Logits(model.Forward(inputIds, options));

    /// <summary>
    /// [B, T] -> logits of the last position only, [B, 1, vocab]: what generation samples from. The LM
    /// head is the widest matmul of a small model, so a prompt's other positions are not projected.
    /// </summary>
    public Tensor LastPositionLogits(Tensor inputIds, ForwardOptions? options = null)
    {
        var hidden = model.Forward(inputIds, options);
        return Logits(hidden.shape[1] == 1 ? hidden : hidden.narrow(1, hidden.shape[1] - 1, 1));
    }

    /// <summary>Mixed precision (see <see cref="LlamaModel.ComputeDtype"/>); logits come back in the weights' dtype.</summary>
    public ScalarType? ComputeDtype
    {
        get => model.ComputeDtype;
        set => model.ComputeDtype = value;
    }

    private Tensor? lmHeadT;

    /// <summary>The LM head's weight: its own, or the embedding matrix when tied.</summary>
    private Tensor HeadWeight => lm_head is null ? model.EmbedTokens.weight! : lm_head.weight!;

    /// <summary>
    /// Transposed (and fused) copies of the weights for generation; dispose the result to drop them.
    /// The weights must not change meanwhile. Models above <see cref="InferenceWeights.MaxBytes"/>
    /// get no copies (the result then drops nothing). See <see cref="InferenceWeights"/>.
    /// </summary>
    public IDisposable PrepareInferenceWeights()
    {
        var weightBytes = InferenceWeights.BytesOf(this);
        if (weightBytes > InferenceWeights.MaxBytes) return new InferenceWeights.Release(() => { });
        model.PrepareInferenceWeights(weightBytes <= InferenceWeights.CacheResidentBytes ? long.MaxValue : 1);
        lmHeadT?.Dispose();
        lmHeadT = InferenceWeights.Transposed(HeadWeight);
        return new InferenceWeights.Release(() =>
        {
            model.DropInferenceWeights();
            lmHeadT?.Dispose();
            lmHeadT = null;
        });
    }

    /// <summary>
    /// Mean token cross-entropy of the next-token logits of [B, T] input ids against [B, T] targets
    /// (<paramref name="ignoreIndex"/> counts for nothing): what training minimises. On the CPU the LM
    /// head and the loss run as one step (<see cref="Kernels.FusedLinearCrossEntropy"/>), which never
    /// holds the batch's float32 logits; elsewhere <see cref="Logits"/> then the loss.
    /// </summary>
    public Tensor Loss(Tensor inputIds, Tensor targets, ForwardOptions? options = null, long ignoreIndex = -100)
    {
        var hidden = model.Forward(inputIds, options);
        var flat = hidden.view(-1, hidden.shape[^1]);
        var flatTargets = targets.reshape(-1);
        var (headInput, headWeight) = Projection.Operands(HeadWeight, flat, model.ComputeDtype);
        if (Kernels.FusedLinearCrossEntropy.CanRun(headInput, headWeight, flatTargets))
            return Kernels.FusedLinearCrossEntropy.Mean(headInput, headWeight, flatTargets, ignoreIndex);
        return Kernels.FusedCrossEntropy.Mean(Logits(hidden).view(-1, HeadWeight.shape[0]), flatTargets, ignoreIndex);
    }

    public Tensor Logits(Tensor hidden)
    {
        if (lmHeadT is not null && model.UsesPrepared(hidden.numel() / hidden.shape[^1])) return hidden.matmul(lmHeadT);
        var weight = HeadWeight;
        var logits = Projection.Apply(weight, hidden, model.ComputeDtype);
        // The loss and sampling want full-precision logits: softmax over a large vocabulary in bf16 loses too much.
        return logits.dtype == weight.dtype ? logits : logits.to_type(weight.dtype);
    }
}
