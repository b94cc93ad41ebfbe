using System.CommandLine;
using Pipeline.Cli.Hosting;
using Pipeline.Cli.Output;
using Pipeline.Ingest;
using Pipeline.Ingest.Benchmarks;

namespace Pipeline.Cli.Commands;

/// <summary>`pipeline bench ingest`: MB/s per core of the ingest chain and of each step on the bundled corpus.</summary>
internal static class BenchIngestCommand
{
    public static Command Create()
    {
        var input = new Option<string[]>("--input") { Description = "Corpus files or folders (default: the bundled samples/corpus).", AllowMultipleArgumentsPerToken = true };
        var seconds = new Option<double>("--seconds") { Description = "Minimum time to run the full chain.", DefaultValueFactory = _ => 3 };
        var command = new Command("ingest", $"Throughput of the ingest steps (target >= {IngestBenchmark.TargetPerCore} MB/s per core for the full chain) and peak memory.");
        command.Options.Add(input);
        command.Options.Add(seconds);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var json = parse.GetValue(CommonOptions.Json);
            try
            {
                var paths = parse.GetValue(input) is { Length: > 0 } given ? given : [Path.Combine(SamplesDirectory.Find(), "corpus")];
                var files = paths.SelectMany(p => Directory.Exists(p) ? Directory.EnumerateFiles(p, "*", SearchOption.AllDirectories) : [p]).Order(StringComparer.Ordinal);
                var documents = await IngestBenchmark.LoadAsync(files, cancellationToken);
                if (documents.Count == 0) return CliOutput.Fail("no documents in the given inputs", json);
                var result = new IngestBenchmark(new IngestOptions()).Run(documents, parse.GetValue(seconds));
                CliOutput.Write(result, json, PrintHuman);
                return 0;
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException or ArgumentException)
            {
                return CliOutput.Fail(ex.Message, json);
            }
        });
        return command;
    }

    private static void PrintHuman(IngestBenchmarkResult r)
    {
        Console.WriteLine($"{r.Documents} documents, {r.Megabytes:F2} MB, {r.Passes} passes");
        Console.WriteLine($"warm-up:                 {r.WarmupPasses} passes, {r.WarmupSeconds:F1} s (until {IngestBenchmark.QuietPassesNeeded} passes in a row compiled no method)");
        Console.WriteLine($"full chain, 1 core:      {r.ChainMegabytesPerSecondPerCore,8:F1} MB/s per core (target {r.TargetMegabytesPerSecondPerCore} MB/s; Python tools: a few MB/s)");
        Console.WriteLine($"full chain, per CPU-second: {r.ChainMegabytesPerCpuSecond,5:F1} MB (the same span over process CPU time; steadier on a busy machine)");
        Console.WriteLine($"full chain, by pass:     fastest {r.ChainPasses.Fastest:F1}, median {r.ChainPasses.Median:F1}, slowest tenth {r.ChainPasses.SlowestTenth:F1} MB/s");
        Console.WriteLine($"full chain, {r.Cores} cores:     {r.ParallelMegabytesPerSecond,8:F1} MB/s ({r.ParallelMegabytesPerSecond / r.Cores:F1} per core)");
        foreach (var step in r.Steps) Console.WriteLine($"  {step.Step,-22} {step.MegabytesPerSecond,8:F1} MB/s");
        Console.WriteLine($"peak working set:        {r.PeakWorkingSetMegabytes,8:F1} MB");
    }
}
