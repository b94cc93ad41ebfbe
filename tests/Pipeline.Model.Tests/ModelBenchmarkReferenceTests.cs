using Pipeline.Model.Benchmarks;
using static TorchSharp.torch;

namespace Pipeline.Model.Tests;

/// <summary>`bench model` with a PyTorch reference that cannot run: the reason reaches the result instead of ratios silently missing.</summary>
[Collection(TorchCollection.Name)]
public sealed class ModelBenchmarkReferenceTests
{
    [Fact]
    public void A_reference_training_server_that_does_not_start_is_reported_beside_the_generation_ratio()
    {
        var script = Path.Combine(Tiny.TempDir("bench-"), "reference.py");
        // Generation answers; the training server fails to start. Before, the generation ratio stood
        // and the missing training ratios had no reason anywhere in the result.
        File.WriteAllText(script, """
            import sys
            if "--serve" in sys.argv:
                sys.stderr.write("no torch here\n")
                sys.exit(3)
            print('{"sizes": [{"generation_tokens_per_second": 100.0}]}')
            """);
        var threadsBefore = get_num_threads();
        try
        {
            var result = new ModelBenchmark(new ModelBenchmarkOptions
            {
                Threads = threadsBefore, TrainBatchSize = 2, SequenceLength = 16, TrainSteps = 1, TrainRounds = 1, NewTokens = 4,
                PromptTokens = 4, BatchedSequences = 2, ChatPromptTokens = 0, PyTorchReferenceScript = script,
                Sizes = [new BenchmarkModelSize("tiny", 32, 64, 1, 2, 2, 64)],
            }).Run();

            var comparison = Assert.Single(result.PyTorch!);
            Assert.Null(comparison.TrainRatio);
            Assert.NotNull(result.PyTorchError);
            Assert.Contains("no torch here", result.PyTorchError);
            Assert.True(result.Sizes[0].TrainTokensPerSecond > 0);
            // The decode traffic stands beside the machine's read rate.
            Assert.True(result.MemoryReadGigabytesPerSecond > 0);
            Assert.Equal(DecodeTraffic.StepBytes(ModelBenchmark.ConfigFor(new BenchmarkModelSize("tiny", 32, 64, 1, 2, 2, 64)), 1, 4, 4), result.Sizes[0].DecodeBytesPerToken);
            Assert.True(result.Sizes[0].GenerationGigabytesPerSecond > 0 && result.Sizes[0].BatchedGigabytesPerSecond > 0);
        }
        finally
        {
            set_num_threads(threadsBefore);
        }
    }
}
