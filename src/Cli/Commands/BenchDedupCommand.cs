using System.CommandLine;
using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Pipeline.BlobStorage;
using Pipeline.Cli.Hosting;
using Pipeline.Cli.Output;
using Pipeline.Contracts.Messages;
using Pipeline.Dedup.Benchmarks;
using Pipeline.Dedup.Core;
using Pipeline.Dedup.Inputs;

namespace Pipeline.Cli.Commands;

/// <summary>
/// `pipeline bench dedup`: MinHash signature throughput per core, and end-to-end staged dedup
/// throughput with peak memory, on the bundled corpus grown to the target size.
/// </summary>
internal static class BenchDedupCommand
{
    private const double DataJuicerMegabytesPerSecondPerCore = 0.4;
    private const double SignatureTarget = 100;
    private const double EndToEndTarget = 20;

    public static Command Create()
    {
        var size = new Option<int>("--size-mb") { Description = "Corpus size to build (MB of JSONL).", DefaultValueFactory = _ => 200 };
        var corpus = new Option<string[]>("--corpus") { Description = "Source JSONL files (default: the bundled samples/corpus).", AllowMultipleArgumentsPerToken = true };
        var shards = new Option<int>("--shards") { Description = "Shards the corpus is split into.", DefaultValueFactory = _ => 8 };
        var command = new Command("dedup", "Benchmark dedup: signature MB/s per core (128 perms, 5-grams) and end-to-end MB/s per core with peak memory.");
        foreach (var o in new Option[] { size, corpus, shards }) command.Options.Add(o);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var json = parse.GetValue(CommonOptions.Json);
            try
            {
                var sources = parse.GetValue(corpus) is { Length: > 0 } given ? given : DefaultSources();
                var result = await RunAsync(sources, parse.GetValue(size) * 1_000_000L, parse.GetValue(shards), json, cancellationToken);
                CliOutput.Write(result, json, PrintHuman);
                return 0;
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException or PipelineStageFailedException or TimeoutException)
            {
                return CliOutput.Fail(ex.Message, json);
            }
        });
        return command;
    }

    private static string[] DefaultSources()
        => Directory.EnumerateFiles(Path.Combine(SamplesDirectory.Find(), "corpus"))
            .Where(f => f.EndsWith(".jsonl", StringComparison.Ordinal) || f.EndsWith(".jsonl.gz", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal).ToArray();

    private static async Task<DedupBenchResult> RunAsync(string[] sources, long targetBytes, int shardCount, bool quiet, CancellationToken cancellationToken)
    {
        var work = Path.Combine(Path.GetTempPath(), $"pipeline-bench-dedup-{Guid.NewGuid():N}");
        try
        {
            var originals = BenchCorpus.ReadTexts(sources);
            if (originals.Count == 0) throw new InvalidDataException("The source corpus holds no documents.");
            void Say(string line) { if (!quiet) Console.Error.WriteLine(line); }

            Say($"signatures: {originals.Count} source documents, single thread ...");
            var signatureTexts = Enumerable.Repeat(originals, Math.Max(1, (int)(20_000_000 / Math.Max(1, originals.Sum(t => (long)t.Length))))).SelectMany(t => t).ToList();
            var signatures = SignatureThroughput.Measure(signatureTexts, new DedupSettings());

            Say($"corpus: building {targetBytes / 1e6:F0} MB in {shardCount} shards ...");
            var (shardFiles, bytes) = BenchCorpus.Write(originals, Path.Combine(work, "corpus"), targetBytes, shardCount);

            Say("end to end: staged dedup through the embedded bus ...");
            var runId = Guid.NewGuid();
            using var host = EmbeddedHost.Build(Path.Combine(work, "data"), new Dictionary<string, string?> { ["Dedup:IndexName"] = $"bench-{runId:N}" });
            await host.StartAsync(cancellationToken);
            try
            {
                var store = host.Services.GetRequiredService<IBlobStore>();
                var upload = Stopwatch.StartNew();
                var shards = await LocalInputs.ResolveAsync(store, shardFiles, "dedup-input", $"bench/{runId:N}", cancellationToken);
                upload.Stop();
                using var process = Process.GetCurrentProcess();
                var peakBefore = process.PeakWorkingSet64;
                var cpuBefore = process.TotalProcessorTime;
                var clock = Stopwatch.StartNew();
                var done = await new RunAwaiter(host.Services.GetRequiredService<IBus>()).PublishAndWaitAsync<DeduplicateCorpus, CorpusDeduplicated>(
                    new DeduplicateCorpus { RunId = runId, Shards = shards }, TimeSpan.FromHours(2), cancellationToken);
                clock.Stop();
                process.Refresh();
                var cpuSeconds = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
                var cores = Environment.ProcessorCount;
                var endToEnd = bytes / 1e6 / clock.Elapsed.TotalSeconds;
                return new DedupBenchResult(
                    Cores: cores,
                    Vector: System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated ? "avx512" : System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated ? "avx2" : "scalar",
                    SignatureMegabytes: Math.Round(signatures.Bytes / 1e6, 1),
                    SignatureMbPerSecondPerCore: Math.Round(signatures.MegabytesPerSecond, 1),
                    SignatureMbPerCpuSecond: Math.Round(signatures.MegabytesPerCpuSecond, 1),
                    MinHashOnlyMillionShinglesPerSecond: Math.Round(signatures.MillionShinglesPerSecondMinHashOnly, 1),
                    CorpusMegabytes: Math.Round(bytes / 1e6, 1),
                    Documents: done.DocumentsIn,
                    DocumentsOut: done.DocumentsOut,
                    ExactDuplicates: done.ExactDuplicates,
                    NearDuplicates: done.NearDuplicates,
                    UploadSeconds: Math.Round(upload.Elapsed.TotalSeconds, 2),
                    EndToEndSeconds: Math.Round(clock.Elapsed.TotalSeconds, 2),
                    EndToEndMbPerSecond: Math.Round(endToEnd, 1),
                    EndToEndMbPerSecondPerCore: Math.Round(endToEnd / cores, 1),
                    EndToEndCpuSeconds: Math.Round(cpuSeconds, 1),
                    EndToEndMbPerCpuSecond: Math.Round(bytes / 1e6 / cpuSeconds, 1),
                    LoadAverage: File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : null,
                    PeakWorkingSetMegabytes: Math.Round(process.PeakWorkingSet64 / 1e6, 0),
                    PeakWorkingSetBeforeRunMegabytes: Math.Round(peakBefore / 1e6, 0),
                    Targets: new BenchTargets(SignatureTarget, EndToEndTarget, DataJuicerMegabytesPerSecondPerCore));
            }
            finally
            {
                await host.StopAsync(CancellationToken.None);
            }
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); } catch (IOException) { }
        }
    }

    private static void PrintHuman(DedupBenchResult r)
    {
        Console.WriteLine($"cores {r.Cores}, vectors {r.Vector}, load average {r.LoadAverage}");
        Console.WriteLine($"signatures (128 perms, word 5-grams, 1 thread): {r.SignatureMbPerSecondPerCore} MB/s wall, {r.SignatureMbPerCpuSecond} MB per CPU-second (target {r.Targets.SignatureMbPerSecondPerCore}; MinHash alone {r.MinHashOnlyMillionShinglesPerSecond} M shingles/s)");
        Console.WriteLine($"end to end on {r.CorpusMegabytes} MB / {r.Documents} docs: {r.EndToEndSeconds} s, {r.EndToEndMbPerSecondPerCore} MB/s per core wall, {r.EndToEndMbPerCpuSecond} MB per CPU-second (target {r.Targets.EndToEndMbPerSecondPerCore}; data-juicer ~{r.Targets.DataJuicerMbPerSecondPerCore})");
        Console.WriteLine($"kept {r.DocumentsOut}, removed {r.ExactDuplicates} exact + {r.NearDuplicates} near; peak working set {r.PeakWorkingSetMegabytes} MB");
    }

    /// <summary>"Per core" figures come two ways: wall time divided by cores, and bytes per CPU-second the process used (robust when other processes compete for the cores).</summary>
    private sealed record DedupBenchResult(int Cores, string Vector, double SignatureMegabytes, double SignatureMbPerSecondPerCore, double SignatureMbPerCpuSecond, double MinHashOnlyMillionShinglesPerSecond,
        double CorpusMegabytes, long Documents, long DocumentsOut, long ExactDuplicates, long NearDuplicates, double UploadSeconds, double EndToEndSeconds,
        double EndToEndMbPerSecond, double EndToEndMbPerSecondPerCore, double EndToEndCpuSeconds, double EndToEndMbPerCpuSecond, string? LoadAverage, double PeakWorkingSetMegabytes, double PeakWorkingSetBeforeRunMegabytes, BenchTargets Targets);

    private sealed record BenchTargets(double SignatureMbPerSecondPerCore, double EndToEndMbPerSecondPerCore, double DataJuicerMbPerSecondPerCore);
}
