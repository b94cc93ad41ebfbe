using Pipeline.Model.Generation;
using Pipeline.Model.Llama;
using Pipeline.Model.Training;
using static TorchSharp.torch;

namespace Pipeline.Model.Tests;

/// <summary>bf16 compute on float32 master weights (ComputeDtype): close to float32, float32 gradients, and it trains.</summary>
[Collection(TorchCollection.Name)]
public sealed class MixedPrecisionTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Bf16_compute_gives_float32_logits_close_to_the_float32_model(bool tied)
    {
        using var model = LlamaForCausalLM.Create(Tiny.Config(tied: tied), seed: 3);
        using var ids = tensor(new long[] { 1, 5, 9, 2, 7, 3, 8, 4, 6, 10, 11, 12 }, [2, 6]);
        using var reference = model.Forward(ids);

        model.ComputeDtype = ScalarType.BFloat16;
        using var mixed = model.Forward(ids);

        Assert.Equal(ScalarType.Float32, mixed.dtype);
        var scale = reference.abs().max().item<float>();
        // bf16 keeps 8 significant bits (relative error ~0.4 % per rounding); a few roundings per layer stay well under 5 %.
        Assert.InRange(Tiny.MaxAbsDiff(mixed, reference), 1e-7f, 0.05f * scale);
        Assert.All(model.parameters(), p => Assert.Equal(ScalarType.Float32, p.dtype));
    }

    [Fact]
    public void Gradients_reach_the_float32_weights_through_the_casts()
    {
        using var model = LlamaForCausalLM.Create(Tiny.Config(), seed: 4);
        model.ComputeDtype = ScalarType.BFloat16;
        using var ids = tensor(new long[] { 1, 5, 9, 2, 7, 3 }, [1, 6]);
        using var target = tensor(new long[] { 5, 9, 2, 7, 3, 1 });

        var logits = model.Forward(ids);
        nn.functional.cross_entropy(logits.view(-1, logits.shape[^1]), target).backward();

        foreach (var (name, p) in model.named_parameters())
        {
            Assert.True(p.grad is not null, $"{name} has no gradient");
            Assert.Equal(ScalarType.Float32, p.grad!.dtype);
            Assert.True(p.grad.abs().sum().item<float>() > 0, $"{name} has an all-zero gradient");
        }
    }

    [Fact]
    public void Kv_cache_decoding_in_bf16_compute_matches_recomputation()
    {
        using var model = LlamaForCausalLM.Create(Tiny.Config(), seed: 5);
        model.ComputeDtype = ScalarType.BFloat16;
        var generator = new TextGenerator(model);
        var greedy = new SamplingOptions { MaxNewTokens = 12, Temperature = 0, StopIds = [] };

        var cached = generator.Generate([[1, 4, 9]], greedy)[0];
        var recomputed = generator.Generate([[1, 4, 9]], greedy with { UseKvCache = false })[0];

        Assert.Equal(12, cached.OutputIds.Count);
        // Greedy tokens agree; bf16 rounding differs between the two paths only in the last bits of the logits.
        Assert.Equal(recomputed.OutputIds.Take(6), cached.OutputIds.Take(6));
    }

    [Fact]
    public void Tiny_model_overfits_in_bf16_mixed_precision()
    {
        var tok = TinyTokenizer.Create();
        string[] corpus = [.. Enumerable.Range(0, 24).Select(i => i % 2 == 0 ? "the cat sat on the mat." : "a dog ran to the log, then sat.")];
        using var model = LlamaForCausalLM.Create(Tiny.Config(vocab: tok.VocabSize) with { HiddenSize = 64, IntermediateSize = 128 }, seed: 1);
        var options = new PretrainOptions
        {
            SequenceLength = 32, BatchSize = 4, MaxSteps = 80, PeakLearningRate = 3e-3, WarmupSteps = 8, EvalEvery = 40,
            EvalFraction = 0.1, Seed = 5, ComputeDtype = "bfloat16",
        };

        var result = new PretrainTrainer(model, tok, options).Train(corpus);

        Assert.Equal(ScalarType.BFloat16, model.ComputeDtype);
        Assert.True(result.TrainLosses[0].Loss > 3.0, $"first loss {result.TrainLosses[0].Loss}");
        Assert.True(result.FinalLoss < 0.8, $"final loss {result.FinalLoss}");
        Assert.All(model.parameters(), p => Assert.Equal(ScalarType.Float32, p.dtype));
    }
}
