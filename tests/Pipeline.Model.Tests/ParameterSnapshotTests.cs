using Pipeline.Model.Llama;

namespace Pipeline.Model.Tests;

[Collection(TorchCollection.Name)]
public sealed class ParameterSnapshotTests
{
    [Fact]
    public void Parameter_names_and_shapes_match_hugging_face_llama()
    {
        var config = Tiny.Config(vocab: 97, kvHeads: 2);
        using var model = new LlamaForCausalLM(config);
        var actual = model.state_dict().Select(kv => $"{kv.Key} [{string.Join(", ", kv.Value.shape)}]").ToList();
        var expected = new List<string> { "model.embed_tokens.weight [97, 32]" };
        for (var i = 0; i < 2; i++)
        {
            expected.AddRange(
            [
                $"model.layers.{i}.self_attn.q_proj.weight [32, 32]",
                $"model.layers.{i}.self_attn.k_proj.weight [16, 32]",
                $"model.layers.{i}.self_attn.v_proj.weight [16, 32]",
                $"model.layers.{i}.self_attn.o_proj.weight [32, 32]",
                $"model.layers.{i}.mlp.gate_proj.weight [64, 32]",
                $"model.layers.{i}.mlp.up_proj.weight [64, 32]",
                $"model.layers.{i}.mlp.down_proj.weight [32, 64]",
                $"model.layers.{i}.input_layernorm.weight [32]",
                $"model.layers.{i}.post_attention_layernorm.weight [32]",
            ]);
        }
        expected.Add("model.norm.weight [32]");
        expected.Add("lm_head.weight [97, 32]");
        Assert.Equal(expected.Order(), actual.Order());
        Assert.Equal(config.ParameterCount(), model.parameters().Sum(p => p.numel()));
    }

    [Fact]
    public void Tied_model_has_no_lm_head_and_scalar_model_has_score()
    {
        using var tied = new LlamaForCausalLM(Tiny.Config(tied: true));
        Assert.DoesNotContain("lm_head.weight", tied.state_dict().Keys);
        Assert.Equal(Tiny.Config(tied: true).ParameterCount(), tied.parameters().Sum(p => p.numel()));
        using var scalar = new LlamaScalarModel(Tiny.Config());
        var names = scalar.state_dict().Keys.ToList();
        Assert.Contains("score.weight", names);
        Assert.Contains("model.layers.1.self_attn.q_proj.weight", names);
        Assert.DoesNotContain("lm_head.weight", names);
        Assert.DoesNotContain(names, n => n.Contains("rotary"));
    }
}
