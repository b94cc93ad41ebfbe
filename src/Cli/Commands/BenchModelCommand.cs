using System.CommandLine;
using Pipeline.Cli.Output;
using Pipeline.Model.Benchmarks;

namespace Pipeline.Cli.Commands;

/// <summary>`pipeline bench model`: training/generation throughput, MFU, KV-cache and batching speed-ups, PyTorch side by side.</summary>
internal static class BenchModelCommand
{
    public static Command Create()
    {
        var threads = new Option<int>("--threads") { DefaultValueFactory = _ => 2 };
        var quick = new Option<bool>("--quick") { Description = "Fewer steps and tokens (smoke run)." };
        var reference = new Option<string?>("--reference")
        {
            Description = "PyTorch reference script (default bench/model/reference_pytorch.py if present; 'none' to skip).",
        };
        var sizes = new Option<string[]>("--sizes")
        {
            Description = $"Model sizes to run (default all: {string.Join(", ", BenchmarkModelSize.Defaults.Select(s => s.Name))}).",
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command("model", "Benchmark the Llama model: training and generation tokens/s at ~2M, ~7M and ~25M parameters.");
        command.Options.Add(sizes);
        command.Options.Add(threads);
        command.Options.Add(quick);
        command.Options.Add(reference);
        command.SetAction((parse, cancellationToken) =>
        {
            var json = parse.GetValue(CommonOptions.Json);
            var script = parse.GetValue(reference) ?? (File.Exists("bench/model/reference_pytorch.py") ? "bench/model/reference_pytorch.py" : null);
            var options = new ModelBenchmarkOptions { Threads = parse.GetValue(threads), PyTorchReferenceScript = script == "none" ? null : script };
            if (parse.GetValue(quick)) options = options with { TrainSteps = 2, NewTokens = 64 };
            if (parse.GetValue(sizes) is { Length: > 0 } names)
            {
                var unknown = names.Where(n => BenchmarkModelSize.Defaults.All(s => s.Name != n)).ToList();
                if (unknown.Count > 0)
                    return Task.FromResult(CliOutput.Fail($"--sizes: unknown size {string.Join(", ", unknown)}; known: {string.Join(", ", BenchmarkModelSize.Defaults.Select(s => s.Name))}", json));
                options = options with { Sizes = BenchmarkModelSize.Defaults.Where(s => names.Contains(s.Name)).ToList() };
            }
            var result = new ModelBenchmark(options).Run(json ? null : Console.WriteLine, cancellationToken);
            CliOutput.Write(result, json, r =>
            {
                Console.WriteLine($"peak matmul {r.MatmulPeakGflops:F0} GFLOP/s, memory read {r.MemoryReadGigabytesPerSecond:F1} GB/s, peak working set {r.PeakWorkingSetBytes / 1048576.0:F0} MiB");
                foreach (var p in r.PyTorch ?? [])
                    Console.WriteLine($"{p.Name}: PyTorch train {p.TrainTokensPerSecond:F0} tok/s (ours {p.TrainRatio:F2}x), generate {p.GenerationTokensPerSecond:F1} tok/s (ours {p.GenerationRatio:F2}x)"
                        + (p.TrainBf16Ratio is double bf ? $", bf16 autocast train {p.TrainBf16TokensPerSecond:F0} tok/s (ours bf16 {bf:F2}x)" : "")
                        + (p.TrainBf16VsFp32Ratio is double mixed ? $", ours bf16 mixed vs PyTorch eager fp32 {mixed:F2}x" : ""));
                if (r.PyTorchError is not null) Console.WriteLine($"PyTorch reference: {r.PyTorchError}");
            });
            return Task.FromResult(0);
        });
        return command;
    }
}
