using Pipeline.Model.Llama;
using static TorchSharp.torch;

namespace Pipeline.Model.Tests;

[Collection(TorchCollection.Name)]
public sealed class NumericTests
{
    [Fact]
    public void RmsNorm_matches_hand_computed_values()
    {
        using var norm = new RmsNorm(4, 1e-5);
        using (no_grad()) norm.Weight.copy_(tensor(new float[] { 1, 2, 1, 0.5f }));
        using var x = tensor(new float[] { 1, 2, 3, 4 }).view(1, 4);
        using var y = norm.forward(x);
        // rms = sqrt((1 + 4 + 9 + 16) / 4 + 1e-5) = sqrt(7.50001)
        var rms = Math.Sqrt(7.5 + 1e-5);
        var expected = new[] { 1 / rms, 2 * 2 / rms, 3 / rms, 0.5 * 4 / rms };
        var actual = y.data<float>().ToArray();
        for (var i = 0; i < 4; i++) Assert.Equal(expected[i], actual[i], 5);
    }

    [Fact]
    public void Rope_rotates_each_half_pair_by_position_times_frequency()
    {
        // head_dim 4, theta 100: inv_freq = [1, 100^-0.5 = 0.1]; pairs are (0,2) and (1,3).
        var (cos, sin) = Rotary.Tables(4, 100, 8);
        using var x = tensor(new float[] { 1, 0, 0, 1 }).view(1, 1, 1, 4);
        const int pos = 3;
        using var c = cos[pos].view(1, 1, 1, 4);
        using var s = sin[pos].view(1, 1, 1, 4);
        var y = Rotary.Apply(x, c, s).data<float>().ToArray();
        // pair (x0, x2) = (1, 0) rotated by 3 rad -> (cos3, sin3); pair (x1, x3) = (0, 1) rotated by 0.3 -> (-sin0.3, cos0.3)
        Assert.Equal(Math.Cos(3), y[0], 5);
        Assert.Equal(-Math.Sin(0.3), y[1], 5);
        Assert.Equal(Math.Sin(3), y[2], 5);
        Assert.Equal(Math.Cos(0.3), y[3], 5);
        Assert.Equal(1.0, Math.Sqrt(y.Sum(v => v * v) / 2), 5);
    }

    [Fact]
    public void Rope_inverse_frequencies_follow_theta_power()
    {
        var inv = Rotary.InverseFrequencies(8, 10000).data<float>().ToArray();
        for (var i = 0; i < 4; i++) Assert.Equal(Math.Pow(10000, -2.0 * i / 8), inv[i], 6);
    }

    [Fact]
    public void Attention_is_causal_future_tokens_do_not_change_past_logits()
    {
        using var model = LlamaForCausalLM.Create(Tiny.Config(), seed: 1);
        using var a = tensor(new long[] { 5, 6, 7, 8, 9, 10 }).view(1, 6);
        using var b = tensor(new long[] { 5, 6, 7, 50, 60, 70 }).view(1, 6);
        using var la = model.Forward(a);
        using var lb = model.Forward(b);
        Assert.True(Tiny.MaxAbsDiff(la.narrow(1, 0, 3), lb.narrow(1, 0, 3)) < 1e-5f);
        Assert.True(Tiny.MaxAbsDiff(la.narrow(1, 3, 3), lb.narrow(1, 3, 3)) > 1e-3f);
    }

    [Fact]
    public void Explicit_additive_mask_path_equals_fused_causal_path()
    {
        using var model = LlamaForCausalLM.Create(Tiny.Config(), seed: 2);
        using var ids = tensor(new long[] { 3, 1, 4, 1, 5, 9, 2, 6 }).view(1, 8);
        using var fused = model.Forward(ids);
        using var ones = ones_like(ids);
        using var masked = model.Forward(ids, new ForwardOptions(AttentionMask: ones));
        Assert.True(Tiny.MaxAbsDiff(fused, masked) < 1e-5f);
    }

    [Fact]
    public void Gqa_equals_mha_whose_kv_heads_are_repeated()
    {
        var gqaConfig = Tiny.Config(kvHeads: 2);
        var mhaConfig = gqaConfig with { NumKeyValueHeads = 4 };
        using var gqa = LlamaForCausalLM.Create(gqaConfig, seed: 3);
        using var mha = new LlamaForCausalLM(mhaConfig);
        var src = gqa.state_dict();
        using (no_grad())
        {
            foreach (var (name, p) in mha.state_dict())
            {
                var w = src[name];
                if (name.EndsWith("k_proj.weight") || name.EndsWith("v_proj.weight"))
                {
                    // rows [kv * D, hidden] -> each KV head's D rows repeated for its 2 query heads
                    var d = gqaConfig.HeadDim;
                    w = w.view(2, 1, d, -1).expand(2, 2, d, w.shape[1]).reshape(4 * d, w.shape[1]);
                }
                p.copy_(w);
            }
        }
        using var ids = tensor(new long[] { 7, 8, 9, 10, 11 }).view(1, 5);
        Assert.True(Tiny.MaxAbsDiff(gqa.Forward(ids), mha.Forward(ids)) < 1e-5f);
    }

    [Fact]
    public void SwiGlu_matches_hand_computed_values()
    {
        using var mlp = new LlamaMlp(2, 1);
        var p = mlp.named_parameters().ToDictionary(x => x.name, x => x.parameter);
        using (no_grad())
        {
            p["gate_proj.weight"].copy_(tensor(new float[] { 1, 1 }).view(1, 2));
            p["up_proj.weight"].copy_(tensor(new float[] { 2, 0 }).view(1, 2));
            p["down_proj.weight"].copy_(tensor(new float[] { 1, -1 }).view(2, 1));
        }
        using var x = tensor(new float[] { 0.5f, 1.5f }).view(1, 2);
        var y = mlp.forward(x).data<float>().ToArray();
        var g = 2.0; // gate = 0.5 + 1.5
        var h = g / (1 + Math.Exp(-g)) * (2 * 0.5); // silu(gate) * up
        Assert.Equal(h, y[0], 5);
        Assert.Equal(-h, y[1], 5);
    }

    [Fact]
    public void Same_seed_gives_same_weights_and_different_seed_does_not()
    {
        using var a = LlamaForCausalLM.Create(Tiny.Config(), seed: 9);
        using var b = LlamaForCausalLM.Create(Tiny.Config(), seed: 9);
        using var c = LlamaForCausalLM.Create(Tiny.Config(), seed: 10);
        var wa = a.state_dict()["model.layers.1.mlp.up_proj.weight"];
        Assert.Equal(0f, Tiny.MaxAbsDiff(wa, b.state_dict()["model.layers.1.mlp.up_proj.weight"]));
        Assert.True(Tiny.MaxAbsDiff(wa, c.state_dict()["model.layers.1.mlp.up_proj.weight"]) > 0.01f);
        Assert.Equal(0.02, wa.std().item<float>(), 2);
    }
}
