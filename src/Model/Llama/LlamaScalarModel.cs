using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Model.Llama;

/// <summary>
/// Reward/value model: the same backbone with a bias-free linear head (<c>score</c>, as HF's
/// <c>LlamaForSequenceClassification</c> with one label) read at the last non-padding token.
/// </summary>
public sealed class LlamaScalarModel : nn.Module<Tensor, Tensor>
{
    private readonly LlamaModel model;
    private readonly Linear score;

    public LlamaScalarModel(LlamaConfig config) : base(nameof(LlamaScalarModel))
    {
        config.Validate();
        model = new LlamaModel(config);
        score = nn.Linear(config.HiddenSize, 1, hasBias: false);
        RegisterComponents();
    }

    public LlamaConfig Config => model.Config;

    public LlamaModel Backbone => model;

    public Linear Score => score;

    public static LlamaScalarModel Create(LlamaConfig config, long seed = 0, Device? device = null, ScalarType dtype = ScalarType.Float32)
    {
        var m = new LlamaScalarModel(config);
        ModelInit.Initialize(m, config.InitializerRange, seed);
        if (dtype != ScalarType.Float32) m.to(dtype);
        if (device is not null) m.to(device);
        return m;
    }

    public override Tensor forward(Tensor inputIds) => Forward(inputIds, null);

    /// <summary>[B, T] ids, optional [B, T] mask (1 = token) -> [B] scalars from the last real token.</summary>
    public Tensor Forward(Tensor inputIds, Tensor? attentionMask)
    {
        var (b, t) = (inputIds.shape[0], inputIds.shape[1]);
        var hidden = model.Forward(inputIds, new ForwardOptions(AttentionMask: attentionMask));
        var values = score.forward(hidden).squeeze(-1);
        if (attentionMask is null) return values.select(1, t - 1);
        // Last index holding a real token; works for left and right padding alike.
        var idx = (attentionMask.to_type(ScalarType.Int64) * arange(1, t + 1, dtype: ScalarType.Int64, device: inputIds.device)).argmax(-1);
        return values.gather(1, idx.unsqueeze(1)).squeeze(1);
    }

    /// <summary>Per-token scalars [B, T] (value model for PPO needs one per position).</summary>
    public Tensor PerToken(Tensor inputIds, Tensor? attentionMask) =>
        score.forward(model.Forward(inputIds, new ForwardOptions(AttentionMask: attentionMask))).squeeze(-1);

    /// <summary>Copies the backbone weights of a causal LM (reward models start from the chat model).</summary>
    public void LoadBackboneFrom(LlamaForCausalLM source)
    {
        using var _ = no_grad();
        var src = source.Backbone.state_dict();
        foreach (var (name, p) in model.named_parameters()) p.copy_(src[name]);
    }
}
