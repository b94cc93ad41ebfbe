using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Model.Llama;

/// <summary>The transformer backbone (HF <c>LlamaModel</c>): embeddings, decoder layers, final norm.</summary>
public sealed class LlamaModel : nn.Module
{
    private readonly Embedding embed_tokens;
    private readonly ModuleList<LlamaDecoderLayer> layers;
    private readonly RmsNorm norm;
    private readonly Tensor rotary_cos;
    /// <summary>sin with the first half of each row negated (see <see cref="Rotary.SignedSin"/>), made once, not per call.</summary>
    private readonly Tensor rotary_signed_sin;

    public LlamaModel(LlamaConfig config) : base(nameof(LlamaModel))
    {
        Config = config;
        embed_tokens = nn.Embedding(config.VocabSize, config.HiddenSize);
        layers = nn.ModuleList(Enumerable.Range(0, config.NumHiddenLayers)
            .Select(i => new LlamaDecoderLayer(config, i)).ToArray());
        norm = new RmsNorm(config.HiddenSize, config.RmsNormEps);
        (rotary_cos, rotary_signed_sin) = SignedTables(config, config.MaxPositionEmbeddings);
        // Non-persistent (registered before RegisterComponents would make them persistent):
        // derived from the config, so they never appear in a checkpoint, yet move with .to(device).
        register_buffer(nameof(rotary_cos), rotary_cos, persistent: false);
        register_buffer(nameof(rotary_signed_sin), rotary_signed_sin, persistent: false);
        RegisterComponents();
    }

    public LlamaConfig Config { get; }

    /// <summary>cos of every position up to max_position_embeddings, [positions, head dim].</summary>
    internal Tensor RotaryCos => rotary_cos;

    /// <summary>The matching sin with each row's first half negated (see <see cref="Rotary.SignedSin"/>).</summary>
    internal Tensor RotarySignedSin => rotary_signed_sin;

    internal void PrepareInferenceWeights(long preparedRowsLimit)
    {
        foreach (var layer in layers) layer.PrepareInferenceWeights();
        norm.PrepareInferenceWeights();
        PreparedRowsLimit = preparedRowsLimit;
    }

    /// <summary>
    /// Calls with at most this many rows (batch x new tokens) use the prepared copies; 0 when none are
    /// prepared. Measured on the development CPU: single-row steps are faster with the copies at every
    /// size, but 8-row steps of the 25M model were faster with the original layout (16.6 against
    /// 20.9 ms) once the weights no longer fit in cache, while the 2M model gained at 8 rows too.
    /// </summary>
    internal long PreparedRowsLimit { get; private set; }

    /// <summary>The copies hold the weights' own dtype, so a mixed-precision call never uses them.</summary>
    internal bool UsesPrepared(long rows) => rows <= PreparedRowsLimit && ComputeDtype is null;

    internal void DropInferenceWeights()
    {
        PreparedRowsLimit = 0;
        foreach (var layer in layers) layer.DropInferenceWeights();
        norm.DropInferenceWeights();
    }

    public Embedding EmbedTokens => embed_tokens;

    /// <summary>
    /// Mixed precision: when set (e.g. bfloat16) the linear maps, rotary and attention run in this
    /// dtype while the weights, norms and residual stream keep theirs (float32). Null: everything
    /// runs in the weights' dtype.
    /// </summary>
    public ScalarType? ComputeDtype { get; set; }

    /// <summary>[B, T] token ids -> [B, T, hidden] final-normed hidden states.</summary>
    public Tensor Forward(Tensor inputIds, ForwardOptions? options = null)
    {
        options ??= new ForwardOptions();
        var (b, t) = (inputIds.shape[0], inputIds.shape[1]);
        var past = options.Cache?.Length ?? 0;
        var x = embed_tokens.forward(inputIds);
        var (cos, sin) = RotaryAt(options, past, b, t, inputIds.device);
        // Rotary and attention run in the compute dtype (mixed precision) or else the hidden states' dtype.
        var attentionDtype = ComputeDtype ?? x.dtype;
        if (attentionDtype != cos.dtype) (cos, sin) = (cos.to_type(attentionDtype), sin.to_type(attentionDtype));
        var (mask, causal) = BuildMask(options, past, b, t, attentionDtype, x.device);
        var inputs = new AttentionInputs(cos, sin, mask, causal, options.Cache, ComputeDtype, UsesPrepared(b * t));
        foreach (var layer in layers) x = layer.Forward(x, inputs);
        options.Cache?.Advance((int)t);
        return norm.Forward(x, inputs.UsePrepared);
    }

    /// <summary>cos and signed sin at this call's positions, [B or 1, 1, T, D].</summary>
    private (Tensor Cos, Tensor SignedSin) RotaryAt(ForwardOptions options, int past, long b, long t, Device device)
    {
        // Unpadded rows without explicit positions all sit at past .. past+T-1: a slice of the tables
        // instead of a gather (fewer native calls on every decode step).
        if (options.PositionIds is null && options.AttentionMask is null && past + t <= Config.MaxPositionEmbeddings)
            return (rotary_cos.narrow(0, past, t).view(1, 1, t, -1), rotary_signed_sin.narrow(0, past, t).view(1, 1, t, -1));
        var positions = options.PositionIds ?? DefaultPositions(options.AttentionMask, past, b, t, device);
        var (tableCos, tableSin) = RotaryTables(positions, past + (int)t, options.PositionIds is not null);
        var flat = positions.reshape(-1);
        return (tableCos.index_select(0, flat).view(b, 1, t, -1), tableSin.index_select(0, flat).view(b, 1, t, -1));
    }

    private static (Tensor Cos, Tensor SignedSin) SignedTables(LlamaConfig config, int positions)
    {
        var (cos, sin) = Rotary.Tables(config, positions);
        using (sin) return (cos, Rotary.SignedSin(sin));
    }

    /// <summary>
    /// The precomputed tables cover max_position_embeddings. Only dynamic (NTK) rope_scaling goes
    /// further: as in transformers, its theta depends on this call's length (largest position + 1),
    /// so longer calls get tables computed for exactly that length (keys already in a KV cache keep
    /// the frequencies they were rotated with, as in transformers).
    /// </summary>
    private (Tensor Cos, Tensor SignedSin) RotaryTables(Tensor positions, int derivedLength, bool explicitPositions)
    {
        var max = Config.MaxPositionEmbeddings;
        // Derived positions never exceed past + t - 1, so only explicit ones (or a long dynamic call) need a (synchronising) max.
        if (!explicitPositions && derivedLength <= max) return (rotary_cos, rotary_signed_sin);
        var dynamic = Config.RopeScalingSpec?.Type == RopeScalingType.Dynamic;
        if (derivedLength > max && !dynamic)
            throw new ArgumentException($"{derivedLength} tokens exceed max_position_embeddings {max}");
        var length = (int)positions.max().item<long>() + 1;
        if (length <= max) return (rotary_cos, rotary_signed_sin);
        if (!dynamic) throw new ArgumentException($"Position {length - 1} exceeds max_position_embeddings {max}");
        var (cos, sin) = SignedTables(Config, length);
        return (cos.to(rotary_cos.device), sin.to(rotary_signed_sin.device));
    }

    private static Tensor DefaultPositions(Tensor? mask, int past, long b, long t, Device device)
    {
        if (mask is null) return arange(past, past + t, dtype: ScalarType.Int64, device: device).unsqueeze(0).expand(b, t);
        // Left padding: a sequence's first real token gets position 0, as in HF generate.
        var p = mask.to_type(ScalarType.Int64).cumsum(-1) - 1;
        return p.clamp_min(0).narrow(1, past, t);
    }

    /// <summary>
    /// Uses the fused causal kernel when nothing but causality restricts attention; otherwise an
    /// additive mask [B, 1, T, past+T]. Masked entries get the dtype's minimum (not -inf) so a query
    /// row that sees nothing (a left-pad position) yields a harmless uniform average, not NaN.
    /// </summary>
    private static (Tensor? Mask, bool Causal) BuildMask(ForwardOptions o, int past, long b, long t, ScalarType dtype, Device device)
    {
        if (o.AttentionMask is null && o.DocumentIds is null)
        {
            if (past == 0) return (null, t > 1);
            if (t == 1) return (null, false);
        }
        var s = past + t;
        var q = arange(past, s, dtype: ScalarType.Int64, device: device).view(t, 1);
        var k = arange(0, s, dtype: ScalarType.Int64, device: device).view(1, s);
        var allowed = k.le(q).view(1, 1, t, s);
        if (o.AttentionMask is not null)
        {
            if (o.AttentionMask.shape[1] != s)
                throw new ArgumentException($"attention mask has {o.AttentionMask.shape[1]} columns, expected past + T = {s}");
            allowed = allowed.logical_and(o.AttentionMask.to_type(ScalarType.Bool).view(b, 1, 1, s));
        }
        if (o.DocumentIds is not null)
        {
            if (past != 0) throw new ArgumentException("DocumentIds cannot be combined with a KV cache");
            var same = o.DocumentIds.unsqueeze(2).eq(o.DocumentIds.unsqueeze(1)).unsqueeze(1);
            allowed = allowed.logical_and(same);
        }
        var additive = zeros(allowed.shape, dtype, device).masked_fill(allowed.logical_not(), finfo(dtype).min);
        return (additive, false);
    }
}
