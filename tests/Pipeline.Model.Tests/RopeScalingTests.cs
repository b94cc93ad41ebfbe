using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.Model.Llama;
using static TorchSharp.torch;

namespace Pipeline.Model.Tests;

[Collection(TorchCollection.Name)]
public sealed class RopeScalingTests
{
    private static LlamaConfig Config(string? ropeScaling, int headDim = 8, int maxPositions = 16) => Tiny.Config() with
    {
        HiddenSize = 4 * headDim,
        MaxPositionEmbeddings = maxPositions,
        RopeScaling = ropeScaling is null ? null : JsonDocument.Parse(ropeScaling).RootElement.Clone(),
    };

    private static double[] InverseFrequencies(LlamaConfig config, int sequenceLength)
    {
        using var inv = Rotary.InverseFrequencies(config, sequenceLength);
        return inv.data<float>().ToArray().Select(f => (double)f).ToArray();
    }

    [Fact]
    public void Linear_factor_2_gives_at_position_2p_the_unscaled_angles_of_position_p()
    {
        var (cos, sin) = Rotary.Tables(Config("""{"type": "linear", "factor": 2.0}"""), 16);
        var (plainCos, plainSin) = Rotary.Tables(8, 10000, 16);
        for (var p = 0; p < 8; p++)
        {
            Assert.Equal(plainCos[p].data<float>().ToArray(), cos[2 * p].data<float>().ToArray());
            Assert.Equal(plainSin[p].data<float>().ToArray(), sin[2 * p].data<float>().ToArray());
        }
        Assert.True(Tiny.MaxAbsDiff(plainCos[3], cos[3]) > 1e-3f);
    }

    [Fact]
    public void Llama3_scales_low_frequencies_keeps_high_ones_and_blends_between()
    {
        // head_dim 8, theta 10000: inv_freq = [1, 0.1, 0.01, 0.001], wavelengths 2π/inv = [6.28, 62.8, 628, 6283].
        // original 1024, low_freq_factor 1, high_freq_factor 4: low-frequency wavelength bound 1024/1 = 1024,
        // high-frequency bound 1024/4 = 256. So 6.28 and 62.8 (< 256) are kept, 6283 (> 1024) is divided by
        // the factor 8, and 628 lies between: s = (1024/628.3 - 1) / (4 - 1), inv = (1 - s) * 0.01/8 + s * 0.01.
        var config = Config("""{"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0, "original_max_position_embeddings": 1024}""");
        var s = (1024 / (2 * Math.PI / 0.01) - 1) / (4 - 1);
        var expected = new[] { 1, 0.1, (1 - s) * 0.01 / 8 + s * 0.01, 0.001 / 8 };
        Assert.InRange(s, 0.2099, 0.2100);
        var actual = InverseFrequencies(config, 16);
        for (var i = 0; i < 4; i++) Assert.Equal(expected[i], actual[i], expected[i] * 1e-6);
    }

    [Fact]
    public void Dynamic_keeps_theta_up_to_max_positions_and_grows_it_as_ntk_says_beyond()
    {
        var config = Config("""{"rope_type": "dynamic", "factor": 2.0}""");
        Assert.Equal(InverseFrequencies(Config(null), 16), InverseFrequencies(config, 16));
        // 32 positions, max 16, factor 2, d = 8: theta' = 10000 * (2 * 32 / 16 - (2 - 1))^(8 / 6) = 10000 * 3^(4/3).
        var theta = 10000 * Math.Pow(3, 4.0 / 3);
        var actual = InverseFrequencies(config, 32);
        for (var i = 0; i < 4; i++) Assert.Equal(Math.Pow(theta, -2.0 * i / 8), actual[i], Math.Pow(theta, -2.0 * i / 8) * 1e-6);
    }

    [Fact]
    public void Dynamic_model_runs_past_max_positions_and_matches_the_plain_model_within_them()
    {
        using var plain = LlamaForCausalLM.Create(Config(null), seed: 3);
        using var dynamic = LlamaForCausalLM.Create(Config("""{"rope_type": "dynamic", "factor": 2.0}"""), seed: 3);
        using var shortIds = arange(1, 13, dtype: ScalarType.Int64).view(1, 12);
        using var longIds = arange(1, 25, dtype: ScalarType.Int64).view(1, 24);
        Assert.True(Tiny.MaxAbsDiff(plain.Forward(shortIds), dynamic.Forward(shortIds)) < 1e-6f);
        Assert.Equal([1L, 24, 97], dynamic.Forward(longIds).shape);
        Assert.Throws<ArgumentException>(() => plain.Forward(longIds));
    }

    [Fact]
    public void Rope_scaling_round_trips_through_config_json_unchanged()
    {
        const string scaling = """{"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0, "original_max_position_embeddings": 8192, "note": "kept"}""";
        var folder = Tiny.TempDir();
        using (var model = LlamaForCausalLM.Create(Config(scaling), seed: 1)) ModelFolder.Save(model, folder);
        var written = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "config.json")))!["rope_scaling"];
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(scaling), written));
        Assert.Contains("\"factor\": 8.0", File.ReadAllText(Path.Combine(folder, "config.json")));
        var loaded = LlamaConfig.Load(Path.Combine(folder, "config.json"));
        Assert.Equal(new RopeScaling(RopeScalingType.Llama3, 8, 1, 4, 8192), loaded.RopeScalingSpec);
    }

    [Theory]
    [InlineData("""{"rope_type": "yarn", "factor": 4.0}""", "rope_scaling.rope_type 'yarn' is not supported")]
    [InlineData("""{"factor": 4.0}""", "rope_scaling.rope_type is required")]
    [InlineData("""{"type": "linear"}""", "rope_scaling.factor is required")]
    [InlineData("""{"type": "dynamic", "factor": "2"}""", "rope_scaling.factor must be a number >= 1 (got \"2\")")]
    [InlineData("""{"rope_type": "llama3", "factor": 8.0, "high_freq_factor": 4.0}""", "rope_scaling.low_freq_factor is required; rope_scaling.original_max_position_embeddings is required")]
    [InlineData("""{"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 4.0, "high_freq_factor": 1.0, "original_max_position_embeddings": 8192}""", "rope_scaling.high_freq_factor (1) must be greater than low_freq_factor (4)")]
    [InlineData("""[1, 2]""", "rope_scaling must be an object or null")]
    public void Invalid_rope_scaling_is_one_problem_naming_the_field(string scaling, string message)
    {
        var path = Path.Combine(Tiny.TempDir(), "config.json");
        var config = JsonNode.Parse(Tiny.Config().ToJson())!;
        config["rope_scaling"] = JsonNode.Parse(scaling);
        File.WriteAllText(path, config.ToJsonString());
        var ex = Assert.Throws<InvalidDataException>(() => LlamaConfig.Load(path));
        Assert.Contains(message, ex.Message);
        Assert.Contains(path, ex.Message);
    }

    [Fact]
    public void Null_and_default_rope_scaling_mean_plain_rope()
    {
        Assert.Null(Config(null).RopeScalingSpec);
        Assert.Null(Config("null").RopeScalingSpec);
        Assert.Null(Config("""{"rope_type": "default"}""").RopeScalingSpec);
    }
}
