using System.Buffers.Binary;
using System.Text;
using Pipeline.Model.Llama;
using Pipeline.Model.Safetensors;
using static TorchSharp.torch;

namespace Pipeline.Model.Tests;

[Collection(TorchCollection.Name)]
public sealed class SafetensorsTests
{
    [Fact]
    public void Save_then_load_folder_gives_identical_logits()
    {
        var dir = Tiny.TempDir();
        using var model = LlamaForCausalLM.Create(Tiny.Config(), seed: 4);
        ModelFolder.Save(model, dir);
        Assert.True(File.Exists(Path.Combine(dir, "config.json")));
        Assert.True(File.Exists(Path.Combine(dir, "model.safetensors")));
        Assert.True(File.Exists(Path.Combine(dir, "generation_config.json")));
        using var loaded = ModelFolder.LoadCausalLM(dir);
        using var ids = tensor(new long[] { 1, 2, 3, 4, 5 }).view(1, 5);
        Assert.Equal(0f, Tiny.MaxAbsDiff(model.Forward(ids), loaded.Forward(ids)));
    }

    [Fact]
    public void Sharded_checkpoint_with_index_loads_identically()
    {
        var dir = Tiny.TempDir();
        using var model = LlamaForCausalLM.Create(Tiny.Config(tied: true), seed: 5);
        ModelFolder.Save(model, dir, maxShardBytes: 20_000);
        Assert.True(File.Exists(Path.Combine(dir, CheckpointReader.IndexFileName)));
        Assert.True(Directory.GetFiles(dir, "model-*-of-*.safetensors").Length > 1);
        using var loaded = ModelFolder.LoadCausalLM(dir);
        using var ids = tensor(new long[] { 9, 8, 7 }).view(1, 3);
        Assert.Equal(0f, Tiny.MaxAbsDiff(model.Forward(ids), loaded.Forward(ids)));
    }

    [Fact]
    public void Hand_written_file_from_the_documented_format_loads()
    {
        // Written byte by byte, not with the project's writer: F32 [2,3] then BF16 [2] then I64 [1].
        var path = Path.Combine(Tiny.TempDir(), "hand.safetensors");
        var header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]},"
            + "\"b\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[24,28]},"
            + "\"c\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[28,36]},\"__metadata__\":{\"format\":\"pt\"}}";
        var headerBytes = Encoding.UTF8.GetBytes(header);
        var bytes = new List<byte>();
        var len = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(len, headerBytes.Length);
        bytes.AddRange(len);
        bytes.AddRange(headerBytes);
        foreach (var f in new[] { 1f, 2f, 3f, -4f, 0.5f, 6f })
        {
            var b = new byte[4];
            BinaryPrimitives.WriteSingleLittleEndian(b, f);
            bytes.AddRange(b);
        }
        bytes.AddRange([0x80, 0x3F, 0x00, 0xC0]); // bf16 1.0 = 0x3F80, -2.0 = 0xC000
        var i64 = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(i64, -7);
        bytes.AddRange(i64);
        File.WriteAllBytes(path, bytes.ToArray());

        var file = SafetensorsFile.Open(path);
        Assert.Equal("pt", file.Metadata["format"]);
        Assert.Equal(new[] { 1f, 2f, 3f, -4f, 0.5f, 6f }, file.Read("a").data<float>().ToArray());
        Assert.Equal(new long[] { 2, 3 }, file.Read("a").shape);
        Assert.Equal(new[] { 1f, -2f }, file.Read("b").to_type(ScalarType.Float32).data<float>().ToArray());
        Assert.Equal(-7L, file.Read("c").item<long>());
    }

    [Fact]
    public void Writer_output_follows_the_format_and_is_8_byte_aligned()
    {
        var path = Path.Combine(Tiny.TempDir(), "w.safetensors");
        SafetensorsWriter.Write(path, new Dictionary<string, Tensor> { ["x"] = tensor(new float[] { 1.5f, -2 }) });
        var raw = File.ReadAllBytes(path);
        var n = BinaryPrimitives.ReadInt64LittleEndian(raw);
        Assert.Equal(0, n % 8);
        Assert.Contains("\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}", Encoding.UTF8.GetString(raw, 8, (int)n));
        Assert.Equal(1.5f, BinaryPrimitives.ReadSingleLittleEndian(raw.AsSpan(8 + (int)n)));
        Assert.Equal(8 + n + 8, raw.Length);
    }

    [Fact]
    public void Truncated_file_is_rejected_with_a_clear_error()
    {
        var dir = Tiny.TempDir();
        using var model = LlamaForCausalLM.Create(Tiny.Config(), seed: 6);
        ModelFolder.Save(model, dir);
        var path = Path.Combine(dir, "model.safetensors");
        var raw = File.ReadAllBytes(path);
        File.WriteAllBytes(path, raw[..^100]);
        var ex = Assert.Throws<InvalidDataException>(() => ModelFolder.LoadCausalLM(dir));
        Assert.Contains("truncated", ex.Message);
        Assert.Contains(path, ex.Message);

        File.WriteAllBytes(path, raw[..4]);
        Assert.Contains("shorter than the 8-byte header", Assert.Throws<InvalidDataException>(() => SafetensorsFile.Open(path)).Message);

        var garbage = raw.ToArray();
        garbage[8] = (byte)'#';
        File.WriteAllBytes(path, garbage);
        Assert.Contains("not valid JSON", Assert.Throws<InvalidDataException>(() => SafetensorsFile.Open(path)).Message);
    }

    [Fact]
    public void Mismatched_checkpoint_lists_every_problem_in_one_error()
    {
        var dir = Tiny.TempDir();
        using var other = LlamaForCausalLM.Create(Tiny.Config(vocab: 50), seed: 7);
        var state = other.state_dict();
        var tensors = state.Where(kv => kv.Key != "model.norm.weight").ToDictionary();
        tensors["model.extra.weight"] = zeros(3);
        tensors["model.layers.0.input_layernorm.weight"] = zeros([32], ScalarType.Int64);
        SafetensorsWriter.Write(Path.Combine(dir, "model.safetensors"), tensors);
        Tiny.Config(vocab: 97).Save(Path.Combine(dir, "config.json"));
        var ex = Assert.Throws<InvalidDataException>(() => ModelFolder.LoadCausalLM(dir));
        Assert.Contains("missing 'model.norm.weight'", ex.Message);
        Assert.Contains("unexpected 'model.extra.weight'", ex.Message);
        Assert.Contains("shape mismatch 'model.embed_tokens.weight': checkpoint [50, 32], model [97, 32]", ex.Message);
        Assert.Contains("shape mismatch 'lm_head.weight'", ex.Message);
        Assert.Contains("dtype mismatch 'model.layers.0.input_layernorm.weight': checkpoint I64", ex.Message);
        Assert.Contains(dir, ex.Message);
    }

    [Fact]
    public void Bf16_checkpoint_loads_into_float32_model()
    {
        var dir = Tiny.TempDir();
        using var model = LlamaForCausalLM.Create(Tiny.Config(), seed: 8, dtype: ScalarType.BFloat16);
        ModelFolder.Save(model, dir);
        Assert.Contains("\"torch_dtype\": \"bfloat16\"", File.ReadAllText(Path.Combine(dir, "config.json")));
        using var loaded = ModelFolder.LoadCausalLM(dir);
        var a = model.state_dict()["model.layers.0.mlp.up_proj.weight"].to_type(ScalarType.Float32);
        Assert.Equal(ScalarType.Float32, loaded.state_dict()["model.layers.0.mlp.up_proj.weight"].dtype);
        Assert.Equal(0f, Tiny.MaxAbsDiff(a, loaded.state_dict()["model.layers.0.mlp.up_proj.weight"]));
    }

    [Fact]
    public void Scalar_model_round_trips_and_can_start_from_a_causal_lm_folder()
    {
        var lmDir = Tiny.TempDir();
        using var lm = LlamaForCausalLM.Create(Tiny.Config(), seed: 11);
        ModelFolder.Save(lm, lmDir);
        using var fromLm = ModelFolder.LoadScalar(lmDir, headSeed: 3);
        Assert.Equal(0f, Tiny.MaxAbsDiff(lm.state_dict()["model.norm.weight"], fromLm.state_dict()["model.norm.weight"]));

        var rmDir = Tiny.TempDir();
        ModelFolder.Save(fromLm, rmDir);
        using var loaded = ModelFolder.LoadScalar(rmDir);
        using var ids = tensor(new long[] { 4, 5, 6 }).view(1, 3);
        Assert.Equal(fromLm.forward(ids).item<float>(), loaded.forward(ids).item<float>());
    }
}
