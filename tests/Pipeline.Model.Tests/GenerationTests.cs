using Pipeline.Model.Generation;
using Pipeline.Model.Llama;
using static TorchSharp.torch;

namespace Pipeline.Model.Tests;

[Collection(TorchCollection.Name)]
public sealed class GenerationTests
{
    [Fact]
    public void Kv_cache_decoding_gives_the_same_logits_as_full_recomputation()
    {
        var config = Tiny.Config(kvHeads: 1);
        using var model = LlamaForCausalLM.Create(config, seed: 12);
        model.eval();
        using var _ = no_grad();
        using var ids = tensor(new long[] { 1, 17, 23, 5, 42, 8, 61, 30 }).view(1, 8);
        using var full = model.Forward(ids);
        using var cache = new KvCache(config, 1, 16, ScalarType.Float32, CPU);
        var pieces = new List<Tensor> { model.Forward(ids.narrow(1, 0, 5), new ForwardOptions(Cache: cache)) };
        for (var t = 5; t < 8; t++) pieces.Add(model.Forward(ids.narrow(1, t, 1), new ForwardOptions(Cache: cache)));
        Assert.Equal(8, cache.Length);
        Assert.True(Tiny.MaxAbsDiff(full, cat(pieces, 1)) < 1e-5f);
    }

    [Fact]
    public void Cached_and_uncached_greedy_generation_agree()
    {
        using var model = LlamaForCausalLM.Create(Tiny.Config(), seed: 13);
        var generator = new TextGenerator(model);
        var prompt = new[] { new[] { 1, 5, 9, 14 } };
        var cached = generator.Generate(prompt, new SamplingOptions { MaxNewTokens = 12, Temperature = 0, StopIds = [] })[0];
        var full = generator.Generate(prompt, new SamplingOptions { MaxNewTokens = 12, Temperature = 0, StopIds = [], UseKvCache = false })[0];
        Assert.Equal(12, cached.OutputIds.Count);
        Assert.Equal(full.OutputIds, cached.OutputIds);
        for (var i = 0; i < 12; i++) Assert.Equal(full.LogProbs[i], cached.LogProbs[i], 4);
    }

    [Fact]
    public void Batched_left_padded_generation_equals_one_sequence_at_a_time()
    {
        using var model = LlamaForCausalLM.Create(Tiny.Config(), seed: 14);
        var generator = new TextGenerator(model);
        var prompts = new[] { new[] { 1, 5 }, new[] { 1, 7, 8, 9, 10, 11 }, new[] { 1, 30, 31 } };
        var options = new SamplingOptions { MaxNewTokens = 8, Temperature = 0, StopIds = [] };
        var batch = generator.Generate(prompts, options);
        for (var i = 0; i < prompts.Length; i++)
        {
            var single = generator.Generate([prompts[i]], options)[0];
            Assert.Equal(single.OutputIds, batch[i].OutputIds);
            for (var j = 0; j < single.LogProbs.Count; j++) Assert.Equal(single.LogProbs[j], batch[i].LogProbs[j], 4);
        }
    }

    [Fact]
    public void Each_sequence_stops_at_its_own_stop_token()
    {
        using var model = LlamaForCausalLM.Create(Tiny.Config(), seed: 15);
        var generator = new TextGenerator(model);
        var prompts = new[] { new[] { 1, 2, 3 }, new[] { 1, 40, 41, 42 } };
        var free = generator.Generate(prompts, new SamplingOptions { MaxNewTokens = 10, Temperature = 0, StopIds = [] });
        var stopToken = free[0].OutputIds[2];
        var stopped = generator.Generate(prompts, new SamplingOptions { MaxNewTokens = 10, Temperature = 0, StopIds = [stopToken] });
        Assert.True(stopped[0].Stopped);
        Assert.Equal(free[0].OutputIds.Take(free[0].OutputIds.ToList().IndexOf(stopToken) + 1), stopped[0].OutputIds);
        Assert.Equal(stopped[0].OutputIds.Count, stopped[0].LogProbs.Count);
        var expectedSecond = free[1].OutputIds.Contains(stopToken)
            ? free[1].OutputIds.Take(free[1].OutputIds.ToList().IndexOf(stopToken) + 1) : free[1].OutputIds;
        Assert.Equal(expectedSecond, stopped[1].OutputIds);
    }

    [Fact]
    public void Seeded_sampling_is_reproducible_and_filters_are_respected()
    {
        using var model = LlamaForCausalLM.Create(Tiny.Config(), seed: 16);
        var generator = new TextGenerator(model);
        var prompts = new[] { new[] { 1, 2 }, new[] { 1, 3 } };
        var options = new SamplingOptions { MaxNewTokens = 20, Temperature = 1.3, TopP = 0.9, TopK = 20, Seed = 42, StopIds = [] };
        var a = generator.Generate(prompts, options);
        var b = generator.Generate(prompts, options);
        var c = generator.Generate(prompts, options with { Seed = 43 });
        Assert.Equal(a[0].OutputIds, b[0].OutputIds);
        Assert.Equal(a[1].OutputIds, b[1].OutputIds);
        Assert.NotEqual(a[0].OutputIds.Concat(a[1].OutputIds), c[0].OutputIds.Concat(c[1].OutputIds));
        Assert.All(a[0].LogProbs, lp => Assert.True(lp < 0));

        // top_k = 1 must be greedy whatever the temperature.
        var topOne = generator.Generate(prompts, options with { TopK = 1, TopP = 1 });
        var greedy = generator.Generate(prompts, options with { Temperature = 0 });
        Assert.Equal(greedy[0].OutputIds, topOne[0].OutputIds);
    }

    [Fact]
    public void Returned_log_probs_equal_the_models_softmax_of_the_chosen_tokens()
    {
        using var model = LlamaForCausalLM.Create(Tiny.Config(), seed: 17);
        var prompt = new[] { 1, 9, 4 };
        var result = new TextGenerator(model).Generate([prompt], new SamplingOptions { MaxNewTokens = 5, Temperature = 0.8, Seed = 1, StopIds = [] })[0];
        using var _ = no_grad();
        var all = prompt.Concat(result.OutputIds).Select(i => (long)i).ToArray();
        using var ids = tensor(all).view(1, -1);
        using var logp = model.Forward(ids).log_softmax(-1);
        for (var i = 0; i < 5; i++)
            Assert.Equal(logp[0, prompt.Length - 1 + i, result.OutputIds[i]].item<float>(), result.LogProbs[i], 4);
    }

    [Fact]
    public void Scalar_head_reads_the_last_real_token_with_left_or_right_padding()
    {
        using var model = LlamaScalarModel.Create(Tiny.Config(), seed: 18);
        model.eval();
        using var _ = no_grad();
        using var plain = tensor(new long[] { 1, 5, 6, 7 }).view(1, 4);
        var expected = model.Forward(plain, null).item<float>();
        using var right = tensor(new long[] { 1, 5, 6, 7, 0, 0 }).view(1, 6);
        using var rightMask = tensor(new long[] { 1, 1, 1, 1, 0, 0 }).view(1, 6);
        using var left = tensor(new long[] { 0, 0, 1, 5, 6, 7 }).view(1, 6);
        using var leftMask = tensor(new long[] { 0, 0, 1, 1, 1, 1 }).view(1, 6);
        Assert.Equal(expected, model.Forward(right, rightMask).item<float>(), 4);
        Assert.Equal(expected, model.Forward(left, leftMask).item<float>(), 4);
    }
}
