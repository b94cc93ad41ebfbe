using Pipeline.Model.Generation;
using Pipeline.Model.Llama;
using static TorchSharp.torch;

namespace Pipeline.Model.Tests;

/// <summary>
/// A small model's single sequence decodes on a dedicated single-threaded worker (DecodePlan); the
/// results must not depend on that. The test fixture runs libtorch on one thread, so these tests
/// raise it to two to get the worker, and put it back.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class DecodeThreadingTests
{
    private static readonly int[][] Prompts = [[1, 7, 3, 9], [2, 5], [4], [8, 8, 8], [3, 1, 4, 1, 5]];

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.2)]
    public void A_sequence_on_the_quiet_worker_gives_what_the_calling_thread_gives(double temperature)
    {
        using var model = LlamaForCausalLM.Create(Tiny.Config(), seed: 21);
        var options = new SamplingOptions { MaxNewTokens = 12, Temperature = temperature, TopK = 30, TopP = 0.95, Seed = 5, StopIds = [] };
        var here = new TextGenerator(model).Generate([Prompts[0]], options)[0];
        var worker = WithThreads(2, () =>
        {
            Assert.True(DecodePlan.OnOneQuietThread(model, 1, kvCache: true, CPU));
            return new TextGenerator(model).Generate([Prompts[0]], options)[0];
        });

        Assert.Equal(here.OutputIds, worker.OutputIds);
        for (var j = 0; j < here.LogProbs.Count; j++) Assert.Equal(here.LogProbs[j], worker.LogProbs[j], 4);
    }

    [Fact]
    public void A_row_samples_the_same_tokens_whatever_rows_follow_it_in_the_batch()
    {
        using var model = LlamaForCausalLM.Create(Tiny.Config(), seed: 22);
        var options = new SamplingOptions { MaxNewTokens = 15, Temperature = 1.0, Seed = 9, StopIds = [] };
        var generator = new TextGenerator(model);
        var alone = generator.Generate([Prompts[0]], options);
        var batched = generator.Generate(Prompts, options);
        Assert.Equal(alone[0].OutputIds, batched[0].OutputIds);
    }

    [Fact]
    public void Only_one_cached_sequence_of_a_small_model_on_a_multi_threaded_cpu_gets_the_quiet_worker()
    {
        using var model = LlamaForCausalLM.Create(Tiny.Config(), seed: 23);
        WithThreads(2, () =>
        {
            Assert.True(DecodePlan.OnOneQuietThread(model, 1, kvCache: true, CPU));
            Assert.False(DecodePlan.OnOneQuietThread(model, 8, kvCache: true, CPU));
            Assert.False(DecodePlan.OnOneQuietThread(model, 1, kvCache: false, CPU));
            var big = new LlamaConfig { HiddenSize = 1024, IntermediateSize = 2048, NumAttentionHeads = 8, NumKeyValueHeads = 8, NumHiddenLayers = 2, VocabSize = 1000 };
            using var bigModel = LlamaForCausalLM.Create(big);
            Assert.True(InferenceWeights.BytesOf(bigModel) > DecodePlan.SmallModelBytes);
            Assert.False(DecodePlan.OnOneQuietThread(bigModel, 1, kvCache: true, CPU));
            return 0;
        });
        Assert.False(DecodePlan.OnOneQuietThread(model, 1, kvCache: true, CPU)); // already one thread
    }

    [Fact]
    public void Workers_run_on_one_intra_op_thread_restore_the_setting_and_rethrow_failures()
    {
        WithThreads(2, () =>
        {
            // Read after the caller has put the process-wide setting back and after real libtorch work.
            static int ThreadsAfterWork()
            {
                Thread.Sleep(100);
                using var sum = ones(100_000).sum();
                return get_num_threads();
            }
            var seen = SingleThreadedWorkers.Run<int>([ThreadsAfterWork, ThreadsAfterWork]);
            Assert.Equal([1, 1], seen);
            Assert.Equal(2, get_num_threads());
            var failure = Assert.Throws<InvalidOperationException>(() =>
                SingleThreadedWorkers.Run<int>([() => 1, () => throw new InvalidOperationException("row group 1 failed")]));
            Assert.Equal("row group 1 failed", failure.Message);
            Assert.Equal(2, get_num_threads());
            return 0;
        });
    }

    [Fact]
    public void Inverse_cdf_sampling_follows_the_probabilities_and_never_picks_a_filtered_token()
    {
        // Evenly spaced draws are the distribution's quantiles, so counts match the probabilities exactly.
        const int n = 1000;
        using var logits = log(tensor(new[] { 0.5f, 0.3f, 0.15f, 0.05f })).expand(n, 4).contiguous();
        using var draws = tensor(Enumerable.Range(0, n).Select(i => (i + 0.5f) / n).ToArray(), [n, 1]);
        var (ids, _) = TokenSampler.Sample(logits, new SamplingOptions { Temperature = 1 }, draws);
        var counts = ids.data<long>().ToArray().CountBy(i => i).ToDictionary();
        Assert.Equal(500, counts[0]);
        Assert.Equal(300, counts[1]);
        Assert.Equal(150, counts[2]);
        Assert.Equal(50, counts[3]);

        var (topTwo, _) = TokenSampler.Sample(logits, new SamplingOptions { Temperature = 1, TopK = 2 }, draws);
        var kept = topTwo.data<long>().ToArray();
        Assert.All(kept, id => Assert.True(id is 0 or 1));
        Assert.Equal(625, kept.Count(id => id == 0)); // 0.5 / 0.8 of the mass after the filter
    }

    private static T WithThreads<T>(int threads, Func<T> action)
    {
        var before = get_num_threads();
        set_num_threads(threads);
        try { return action(); }
        finally { set_num_threads(before); }
    }
}
