using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pipeline.Model.Llama;

/// <summary>
/// Llama architecture hyper-parameters, serialised with the exact field names of a Hugging Face
/// <c>config.json</c> so a folder written here loads in transformers and vice versa.
/// </summary>
public sealed record LlamaConfig
{
    [JsonPropertyName("architectures")] public string[] Architectures { get; init; } = ["LlamaForCausalLM"];
    [JsonPropertyName("model_type")] public string ModelType { get; init; } = "llama";
    [JsonPropertyName("hidden_size")] public required int HiddenSize { get; init; }
    [JsonPropertyName("intermediate_size")] public required int IntermediateSize { get; init; }
    [JsonPropertyName("num_attention_heads")] public required int NumAttentionHeads { get; init; }
    [JsonPropertyName("num_key_value_heads")] public int? NumKeyValueHeads { get; init; }
    [JsonPropertyName("num_hidden_layers")] public required int NumHiddenLayers { get; init; }
    [JsonPropertyName("rms_norm_eps")] public double RmsNormEps { get; init; } = 1e-5;
    [JsonPropertyName("rope_theta")] public double RopeTheta { get; init; } = 10000.0;
    [JsonPropertyName("vocab_size")] public required int VocabSize { get; init; }
    [JsonPropertyName("max_position_embeddings")] public int MaxPositionEmbeddings { get; init; } = 4096;
    [JsonPropertyName("tie_word_embeddings")] public bool TieWordEmbeddings { get; init; }
    [JsonPropertyName("hidden_act")] public string HiddenAct { get; init; } = "silu";
    [JsonPropertyName("initializer_range")] public double InitializerRange { get; init; } = 0.02;
    [JsonPropertyName("attention_bias")] public bool AttentionBias { get; init; }
    [JsonPropertyName("mlp_bias")] public bool MlpBias { get; init; }
    [JsonPropertyName("bos_token_id")] public int? BosTokenId { get; init; } = 1;
    [JsonPropertyName("eos_token_id")] public int? EosTokenId { get; init; } = 2;
    [JsonPropertyName("pad_token_id")] public int? PadTokenId { get; init; }
    [JsonPropertyName("torch_dtype")] public string TorchDtype { get; init; } = "float32";
    [JsonPropertyName("head_dim")] public int? HeadDimOverride { get; init; }
    /// <summary>Kept as written so config.json round-trips unchanged; <see cref="RopeScalingSpec"/> is what it means.</summary>
    [JsonPropertyName("rope_scaling")] public JsonElement? RopeScaling { get; init; }

    [JsonIgnore] public int KeyValueHeads => NumKeyValueHeads ?? NumAttentionHeads;
    [JsonIgnore] public int HeadDim => HeadDimOverride ?? HiddenSize / NumAttentionHeads;

    /// <summary>The parsed rope_scaling (null: plain RoPE); throws like <see cref="Validate"/> when it is invalid.</summary>
    [JsonIgnore] public RopeScaling? RopeScalingSpec
    {
        get
        {
            var problems = new List<string>();
            var scaling = Llama.RopeScaling.Parse(RopeScaling, problems);
            if (problems.Count > 0) throw new InvalidDataException($"config: invalid Llama config: {string.Join("; ", problems)}");
            return scaling;
        }
    }

    private static readonly JsonSerializerOptions WriteOptions = new()
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Throws with every problem at once, so a bad config is fixed in one go.</summary>
    public void Validate(string source = "config")
    {
        var problems = new List<string>();
        if (HiddenSize <= 0) problems.Add($"hidden_size must be > 0 (got {HiddenSize})");
        if (IntermediateSize <= 0) problems.Add($"intermediate_size must be > 0 (got {IntermediateSize})");
        if (NumHiddenLayers <= 0) problems.Add($"num_hidden_layers must be > 0 (got {NumHiddenLayers})");
        if (VocabSize <= 0) problems.Add($"vocab_size must be > 0 (got {VocabSize})");
        if (NumAttentionHeads <= 0) problems.Add($"num_attention_heads must be > 0 (got {NumAttentionHeads})");
        else
        {
            if (HeadDimOverride is null && HiddenSize % NumAttentionHeads != 0)
                problems.Add($"hidden_size {HiddenSize} is not divisible by num_attention_heads {NumAttentionHeads}");
            if (KeyValueHeads <= 0 || NumAttentionHeads % KeyValueHeads != 0)
                problems.Add($"num_key_value_heads {KeyValueHeads} must divide num_attention_heads {NumAttentionHeads}");
            if (HeadDim % 2 != 0) problems.Add($"head dimension {HeadDim} must be even for rotary embeddings");
        }
        if (ModelType != "llama") problems.Add($"model_type '{ModelType}' is not supported (only 'llama')");
        if (HiddenAct != "silu") problems.Add($"hidden_act '{HiddenAct}' is not supported (only 'silu')");
        if (AttentionBias || MlpBias) problems.Add("attention_bias/mlp_bias are not supported: Llama has no biases");
        Llama.RopeScaling.Parse(RopeScaling, problems);
        if (problems.Count > 0)
            throw new InvalidDataException($"{source}: invalid Llama config: {string.Join("; ", problems)}");
    }

    public static LlamaConfig Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Model config not found: {path}", path);
        LlamaConfig? config;
        try
        {
            config = JsonSerializer.Deserialize<LlamaConfig>(File.ReadAllText(path));
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path}: not a valid Llama config.json: {ex.Message}", ex);
        }
        if (config is null) throw new InvalidDataException($"{path}: config.json is empty");
        config.Validate(path);
        return config;
    }

    public string ToJson() => JsonSerializer.Serialize(this, WriteOptions);

    public void Save(string path) => File.WriteAllText(path, ToJson());

    /// <summary>Exact parameter count, matching what the module allocates.</summary>
    public long ParameterCount()
    {
        long h = HiddenSize, kv = (long)KeyValueHeads * HeadDim, q = (long)NumAttentionHeads * HeadDim;
        long attention = h * q + 2 * h * kv + q * h;
        long mlp = 3 * h * IntermediateSize;
        long layer = attention + mlp + 2 * h;
        long embed = (long)VocabSize * h;
        return embed + NumHiddenLayers * layer + h + (TieWordEmbeddings ? 0 : embed);
    }
}
