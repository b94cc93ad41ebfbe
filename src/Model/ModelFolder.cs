using TorchSharp;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.Model.Llama;
using Pipeline.Model.Safetensors;
using Pipeline.Model.Tokenization;
using static TorchSharp.torch;

namespace Pipeline.Model;

/// <summary>
/// A model folder in Hugging Face layout: config.json, model.safetensors (or shards + index),
/// tokenizer files, generation_config.json. Anything transformers writes loads here and vice versa.
/// </summary>
public static class ModelFolder
{
    public const string ConfigFile = "config.json";
    public const string GenerationConfigFile = "generation_config.json";

    public static void Save(LlamaForCausalLM model, string folder, TextTokenizer? tokenizer = null, long maxShardBytes = long.MaxValue) =>
        SaveModule(model, model.Config with { Architectures = ["LlamaForCausalLM"] }, folder, tokenizer, maxShardBytes);

    public static void Save(LlamaScalarModel model, string folder, TextTokenizer? tokenizer = null) =>
        SaveModule(model, model.Config with { Architectures = ["LlamaForSequenceClassification"] }, folder, tokenizer, long.MaxValue);

    public static LlamaForCausalLM LoadCausalLM(string folder, Device? device = null, ScalarType dtype = ScalarType.Float32)
    {
        var config = LlamaConfig.Load(Path.Combine(folder, ConfigFile));
        var model = new LlamaForCausalLM(config);
        // HF checkpoints of tied models sometimes still carry lm_head.weight; old ones carry inv_freq buffers.
        WeightLoader.Load(model, CheckpointReader.Open(folder), folder,
            name => name.EndsWith("rotary_emb.inv_freq", StringComparison.Ordinal) || (config.TieWordEmbeddings && name == "lm_head.weight"));
        return model.MoveTo(device, dtype);
    }

    /// <summary>Loads a scalar-head model; from a causal-LM folder the backbone is taken and the head freshly initialised.</summary>
    public static LlamaScalarModel LoadScalar(string folder, Device? device = null, ScalarType dtype = ScalarType.Float32, long headSeed = 0)
    {
        var config = LlamaConfig.Load(Path.Combine(folder, ConfigFile));
        LlamaScalarModel model;
        if (config.Architectures.Contains("LlamaForSequenceClassification"))
        {
            model = new LlamaScalarModel(config);
            WeightLoader.Load(model, CheckpointReader.Open(folder), folder, name => name.EndsWith("rotary_emb.inv_freq", StringComparison.Ordinal));
        }
        else
        {
            model = LlamaScalarModel.Create(config, headSeed);
            using var lm = LoadCausalLM(folder);
            model.LoadBackboneFrom(lm);
        }
        if (dtype != ScalarType.Float32) model.to(dtype);
        if (device is not null) model.to(device);
        return model;
    }

    public static TextTokenizer LoadTokenizer(string folder) => TokenizerLoader.Load(folder);

    private static void SaveModule(nn.Module module, LlamaConfig config, string folder, TextTokenizer? tokenizer, long maxShardBytes)
    {
        Directory.CreateDirectory(folder);
        var state = module.state_dict();
        var dtype = state.Values.First().dtype;
        (config with { TorchDtype = DtypeName(dtype) }).Save(Path.Combine(folder, ConfigFile));
        WriteWeights(state, folder, maxShardBytes);
        var generation = new JsonObject { ["bos_token_id"] = config.BosTokenId, ["eos_token_id"] = config.EosTokenId, ["do_sample"] = true, ["temperature"] = 0.6, ["top_p"] = 0.9 };
        File.WriteAllText(Path.Combine(folder, GenerationConfigFile), generation.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        tokenizer?.SaveTo(folder);
    }

    private static void WriteWeights(Dictionary<string, Tensor> state, string folder, long maxShardBytes)
    {
        var total = state.Values.Sum(t => t.numel() * t.ElementSize);
        var single = Path.Combine(folder, CheckpointReader.SingleFileName);
        var index = Path.Combine(folder, CheckpointReader.IndexFileName);
        if (total <= maxShardBytes)
        {
            SafetensorsWriter.Write(single, state);
            if (File.Exists(index)) File.Delete(index);
            return;
        }
        var shards = new List<List<KeyValuePair<string, Tensor>>> { new() };
        long current = 0;
        foreach (var kv in state.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var size = kv.Value.numel() * kv.Value.ElementSize;
            if (current > 0 && current + size > maxShardBytes) { shards.Add([]); current = 0; }
            shards[^1].Add(kv);
            current += size;
        }
        var weightMap = new JsonObject();
        for (var i = 0; i < shards.Count; i++)
        {
            var name = $"model-{i + 1:D5}-of-{shards.Count:D5}.safetensors";
            SafetensorsWriter.Write(Path.Combine(folder, name), shards[i]);
            foreach (var kv in shards[i]) weightMap[kv.Key] = name;
        }
        var root = new JsonObject { ["metadata"] = new JsonObject { ["total_size"] = total }, ["weight_map"] = weightMap };
        File.WriteAllText(index, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        if (File.Exists(single)) File.Delete(single);
    }

    private static string DtypeName(ScalarType t) => t switch
    {
        ScalarType.BFloat16 => "bfloat16",
        ScalarType.Float16 => "float16",
        _ => "float32",
    };
}
