using Pipeline.Ingest.Benchmarks;
using Xunit.Abstractions;

namespace Pipeline.Ingest.Tests.Steps;

public sealed class IngestBenchmarkTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Benchmark_measures_the_chain_and_every_step_on_the_bundled_corpus()
    {
        var documents = await IngestBenchmark.LoadAsync([Samples.Corpus("edge-cases.jsonl"), Samples.Corpus("fortunes-de.jsonl")]);
        Assert.Equal(25 + 160, documents.Count);
        var result = new IngestBenchmark(new IngestOptions()).Run(documents, minSeconds: 0.2, maxWarmupSeconds: 10);
        foreach (var step in result.Steps) output.WriteLine($"{step.Step}: {step.MegabytesPerSecond} MB/s");
        output.WriteLine($"chain: {result.ChainMegabytesPerSecondPerCore} MB/s per core, peak {result.PeakWorkingSetMegabytes} MB");
        Assert.True(result.ChainMegabytesPerSecondPerCore > 0);
        Assert.True(result.ChainMegabytesPerCpuSecond > 0);
        // The passes one by one: ordered, and the span's mean lies between the fastest and the slowest pass.
        var passes = result.ChainPasses;
        Assert.True(passes.Fastest >= passes.Median && passes.Median >= passes.SlowestTenth && passes.SlowestTenth > 0, passes.ToString());
        Assert.InRange(result.ChainMegabytesPerSecondPerCore, passes.SlowestTenth * 0.5, passes.Fastest * 1.01);
        Assert.Equal(10, result.Steps.Count);
        Assert.All(result.Steps, step => Assert.True(step.MegabytesPerSecond > result.ChainMegabytesPerSecondPerCore / 2, step.Step));
        Assert.True(result.PeakWorkingSetMegabytes > 0);
        // Warmed up until the JIT went quiet (or the cap): at least the two passes always run, and never past the cap by more than a pass.
        Assert.True(result.WarmupPasses >= 2);
        Assert.InRange(result.WarmupSeconds, 0.1, 12);
    }
}
