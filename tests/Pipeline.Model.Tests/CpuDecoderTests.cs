using Pipeline.Model.Generation;
using Pipeline.Model.Llama;
using static TorchSharp.torch;

namespace Pipeline.Model.Tests;

/// <summary>
/// The C# decode step (<see cref="CpuDecoder"/>) against the TorchSharp model's cached step: the same
/// logits and cache contents after a padded prefill, the same generations, any thread count.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class CpuDecoderTests
{
    private static readonly int[][] Prompts = [[1, 7, 3, 9, 2], [2, 5], [4, 4, 4], [9]];

    /// <summary>
    /// Weights drawn wider than the initializer's 0.02, so attention is peaked and the logits spread:
    /// a wrong position, head or padding column then moves the logits by far more than the tolerance.
    /// </summary>
    private static LlamaForCausalLM Model(int kvHeads, bool tied, long seed)
    {
        var model = LlamaForCausalLM.Create(Tiny.Config(kvHeads: kvHeads, tied: tied), seed);
        using var _ = no_grad();
        manual_seed(seed);
        foreach (var (name, p) in model.named_parameters())
        {
            if (name.EndsWith("norm.weight")) p.copy_(rand_like(p) + 0.5);
            else p.normal_(0, 0.4);
        }
        model.eval();
        return model;
    }

    [KernelTheory]
    [InlineData(2, false)] // grouped-query attention
    [InlineData(4, true)]  // multi-head, tied embeddings
    [InlineData(1, false)] // multi-query
    public void Decode_steps_after_a_padded_prefill_give_the_torchsharp_logits_and_cache(int kvHeads, bool tied)
    {
        using var model = Model(kvHeads, tied, seed: 31);
        using var inference = inference_mode();
        const int steps = 6;
        var (b, p) = (Prompts.Length, Prompts.Max(x => x.Length));
        var padding = Prompts.Select(x => p - x.Length).ToArray();
        var ids = new long[b * p];
        var maskValues = new long[b * (p + steps)];
        for (var i = 0; i < b; i++)
        {
            for (var j = 0; j < Prompts[i].Length; j++) ids[i * p + padding[i] + j] = Prompts[i][j];
            for (var j = padding[i]; j < p + steps; j++) maskValues[i * (p + steps) + j] = 1;
        }
        using var prompt = tensor(ids, [b, p]);
        using var mask = tensor(maskValues, [b, p + steps]);
        var config = model.Config;
        using var reference = new KvCache(config, b, p + steps, ScalarType.Float32, CPU);
        using var fused = new KvCache(config, b, p + steps, ScalarType.Float32, CPU);
        using (model.LastPositionLogits(prompt, new ForwardOptions(AttentionMask: mask.narrow(1, 0, p), Cache: reference))) { }
        using (model.LastPositionLogits(prompt, new ForwardOptions(AttentionMask: mask.narrow(1, 0, p), Cache: fused))) { }
        using var decoder = new CpuDecoder(model, padding);

        for (var step = 0; step < steps; step++)
        {
            var next = Enumerable.Range(0, b).Select(i => (long)((7 * step + 13 * i + 3) % config.VocabSize)).ToArray();
            using var nextTensor = tensor(next, [b, 1]);
            using var expected = model.LastPositionLogits(nextTensor, new ForwardOptions(AttentionMask: mask.narrow(1, 0, p + step + 1), Cache: reference));
            using var actual = decoder.Step(next, fused);

            Assert.Equal(expected.shape, actual.shape);
            var scale = expected.abs().max().item<float>();
            Assert.True(scale > 1f, $"logits too flat to tell a wrong step apart (max |logit| {scale})");
            Assert.True(Tiny.MaxAbsDiff(expected, actual) <= 1e-5f * scale, $"step {step}: max |diff| {Tiny.MaxAbsDiff(expected, actual)} (max |logit| {scale})");
        }
        Assert.Equal(reference.Length, fused.Length);
        for (var layer = 0; layer < config.NumHiddenLayers; layer++)
        {
            Assert.True(Tiny.MaxAbsDiff(reference.KeysOf(layer), fused.KeysOf(layer)) <= 1e-4f, $"layer {layer} keys differ");
            Assert.True(Tiny.MaxAbsDiff(reference.ValuesOf(layer), fused.ValuesOf(layer)) <= 1e-4f, $"layer {layer} values differ");
        }
    }

    [KernelTheory]
    [InlineData(0.0, 1)]
    [InlineData(0.0, 2)]
    [InlineData(0.9, 2)]
    public void Generation_gives_the_same_tokens_with_and_without_the_csharp_step(double temperature, int threads)
    {
        using var model = Model(kvHeads: 2, tied: false, seed: 32);
        var options = new SamplingOptions { MaxNewTokens = 20, Temperature = temperature, TopP = 0.95, Seed = 4, StopIds = [] };
        var fused = WithThreads(threads, () => new TextGenerator(model).Generate(Prompts, options));
        var single = WithThreads(threads, () => new TextGenerator(model).Generate([Prompts[0]], options));
        var torchOnly = WithThreads(threads, () => WithoutCsharpStep(() => new TextGenerator(model).Generate(Prompts, options)));

        foreach (var (a, b) in fused.Zip(torchOnly))
        {
            Assert.Equal(b.OutputIds, a.OutputIds);
            for (var i = 0; i < a.LogProbs.Count; i++) Assert.Equal(b.LogProbs[i], a.LogProbs[i], 3);
        }
        Assert.Equal(fused[0].OutputIds, single[0].OutputIds);
    }

    [KernelFact]
    public void The_thread_count_changes_no_logit()
    {
        using var model = Model(kvHeads: 2, tied: false, seed: 33);
        var one = WithThreads(1, () => Steps(model));
        var two = WithThreads(2, () => Steps(model));
        Assert.Equal(one, two);
    }

    private static float[] Steps(LlamaForCausalLM model)
    {
        using var inference = inference_mode();
        // Long enough that attention is shared between threads (its hand-off starts at ~64k multiply-adds).
        const int prompt = 40, steps = 30;
        using var cache = new KvCache(model.Config, 8, prompt + steps, ScalarType.Float32, CPU);
        manual_seed(5);
        using var ids = randint(1, model.Config.VocabSize, [8, prompt]);
        using (model.LastPositionLogits(ids, new ForwardOptions(Cache: cache))) { }
        using var decoder = new CpuDecoder(model, new int[8]);
        var all = new List<float>();
        for (var step = 0; step < steps; step++)
        {
            using var logits = decoder.Step(Enumerable.Repeat((long)(step + 1), 8).ToArray(), cache);
            all.AddRange(logits.data<float>().ToArray());
        }
        return [.. all];
    }

    [Fact]
    public void Only_float32_cpu_models_decoding_with_a_cache_get_the_csharp_step()
    {
        var greedy = new SamplingOptions { Temperature = 0 };
        using var model = LlamaForCausalLM.Create(Tiny.Config(), seed: 34);
        Assert.Equal(Kernels.SkinnyMatmul.IsSupported, CpuDecoder.CanRun(model, greedy, CPU));
        Assert.False(CpuDecoder.CanRun(model, greedy with { UseKvCache = false }, CPU));
        model.ComputeDtype = ScalarType.BFloat16;
        Assert.False(CpuDecoder.CanRun(model, greedy, CPU));
        using var bf16 = LlamaForCausalLM.Create(Tiny.Config(), seed: 34, dtype: ScalarType.BFloat16);
        Assert.False(CpuDecoder.CanRun(bf16, greedy, CPU));
    }

    [KernelFact]
    public void A_step_rejects_tokens_outside_the_vocabulary_and_the_wrong_row_count()
    {
        using var model = Model(kvHeads: 2, tied: false, seed: 35);
        using var inference = inference_mode();
        using var cache = new KvCache(model.Config, 2, 8, ScalarType.Float32, CPU);
        using var decoder = new CpuDecoder(model, [0, 0]);
        var outside = Assert.Throws<ArgumentOutOfRangeException>(() => decoder.Step([1, model.Config.VocabSize], cache));
        Assert.Contains("vocabulary of 97", outside.Message);
        var rows = Assert.Throws<ArgumentException>(() => decoder.Step([1, 2, 3], cache));
        Assert.Contains("expected 2 tokens", rows.Message);
        Assert.Equal(0, cache.Length);
    }

    [Fact]
    public void Greedy_on_the_host_picks_what_the_libtorch_sampler_picks()
    {
        manual_seed(6);
        using var logits = randn(5, 1, 97) * 4;
        var (ids, logProbs) = TokenSampler.GreedyOnHost(logits);
        var (expectedIds, expectedLogProbs) = TokenSampler.Sample(logits.select(1, -1), new SamplingOptions { Temperature = 0 }, null);
        Assert.Equal(expectedIds.data<long>().ToArray(), ids);
        var expected = expectedLogProbs.data<float>().ToArray();
        for (var r = 0; r < 5; r++) Assert.Equal(expected[r], logProbs[r], 1e-5f);

        // A tie goes to the first index; equal logits share the probability.
        using var tied = zeros(1, 8);
        tied[0, 3] = 2f;
        tied[0, 6] = 2f;
        var (tieIds, tieLogProbs) = TokenSampler.GreedyOnHost(tied);
        Assert.Equal(3, tieIds[0]);
        Assert.Equal(-MathF.Log(2 + 6 * MathF.Exp(-2)), tieLogProbs[0], 1e-5f);
        Assert.Throws<ArgumentException>(() => TokenSampler.GreedyOnHost(tied.to_type(ScalarType.Float64)));
    }

    private static T WithoutCsharpStep<T>(Func<T> run)
    {
        CpuDecoder.Enabled = false;
        try
        {
            return run();
        }
        finally
        {
            CpuDecoder.Enabled = true;
        }
    }

    private static T WithThreads<T>(int threads, Func<T> run)
    {
        var before = get_num_threads();
        set_num_threads(threads);
        try
        {
            return run();
        }
        finally
        {
            set_num_threads(before);
        }
    }
}
