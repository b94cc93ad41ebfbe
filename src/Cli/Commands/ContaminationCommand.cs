using System.CommandLine;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Pipeline.BlobStorage;
using Pipeline.Cli.Hosting;
using Pipeline.Cli.Output;
using Pipeline.Contracts.Messages;
using Pipeline.Dedup.Contamination;
using Pipeline.Dedup.Inputs;

namespace Pipeline.Cli.Commands;

/// <summary>`pipeline contamination`: Llama 2 Appendix A.6 benchmark contamination of a corpus, run through the Dedup service's consumer.</summary>
internal static class ContaminationCommand
{
    public static Command Create()
    {
        var benchmark = new Option<string[]>("--benchmark") { Description = "Benchmark JSONL: {id,text} or {id,question,choices?,answer?}.", Required = true, AllowMultipleArgumentsPerToken = true };
        var corpus = new Option<string[]>("--corpus") { Description = "Corpus JSONL shards: files, folders, or container/name blobs.", Required = true, AllowMultipleArgumentsPerToken = true };
        var minMatch = new Option<int>("--min-match") { Description = "Shortest shared span (tokens) that contaminates.", DefaultValueFactory = _ => 10 };
        var decontaminate = new Option<DirectoryInfo?>("--decontaminate") { Description = "Write the corpus without the matching documents into this folder." };
        var command = new Command("contamination", "Measure how much of each benchmark appears in the corpus (clean / not clean / not dirty / dirty), optionally decontaminate.");
        foreach (var o in new Option[] { benchmark, corpus, minMatch, decontaminate }) command.Options.Add(o);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var json = parse.GetValue(CommonOptions.Json);
            try
            {
                var result = await RunAsync(parse.GetValue(CommonOptions.DataDirectory)!, parse.GetValue(benchmark)!, parse.GetValue(corpus)!, parse.GetValue(minMatch), parse.GetValue(decontaminate)?.FullName, cancellationToken);
                CliOutput.Write(result, json, PrintHuman);
                return 0;
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException or ArgumentException or PipelineStageFailedException or TimeoutException)
            {
                return CliOutput.Fail(ex.Message, json);
            }
        });
        return command;
    }

    private static async Task<ContaminationSummary> RunAsync(string dataDirectory, string[] benchmarks, string[] corpus, int minMatch, string? decontaminateFolder, CancellationToken cancellationToken)
    {
        var runId = Guid.NewGuid();
        using var host = EmbeddedHost.Build(dataDirectory);
        await host.StartAsync(cancellationToken);
        try
        {
            var store = host.Services.GetRequiredService<IBlobStore>();
            var benchmarkBlobs = await LocalInputs.ResolveAsync(store, benchmarks, "dedup-input", $"cli/{runId:N}/benchmarks", cancellationToken);
            // Uploaded names get a numeric prefix; the report names each benchmark by its original file name.
            var names = benchmarks.Select(b => ContaminationRun.NameOf(new() { Container = "x", Name = Path.GetFileName(b), Sha256 = "", Size = 0 })).ToList();
            var corpusBlobs = await LocalInputs.ResolveAsync(store, corpus, "dedup-input", $"cli/{runId:N}/corpus", cancellationToken);
            var awaiter = new RunAwaiter(host.Services.GetRequiredService<IBus>());
            var done = await awaiter.PublishAndWaitAsync<AnalyseContamination, ContaminationAnalysed>(
                new AnalyseContamination { RunId = runId, Benchmarks = benchmarkBlobs, Corpus = corpusBlobs, MinMatchTokens = minMatch, Decontaminate = decontaminateFolder is not null },
                TimeSpan.FromHours(6), cancellationToken);
            var report = await store.ReadJsonAsync<ContaminationReport>(done.Report.Container, done.Report.Name, cancellationToken);

            var cleaned = new List<string>();
            if (decontaminateFolder is not null && done.DecontaminatedShards is { } shards)
            {
                Directory.CreateDirectory(decontaminateFolder);
                for (var i = 0; i < shards.Count; i++)
                {
                    var path = Path.Combine(decontaminateFolder, $"{i:D5}.jsonl.gz");
                    await File.WriteAllBytesAsync(path, await store.ReadBytesAsync(shards[i].Container, shards[i].Name, cancellationToken), cancellationToken);
                    cleaned.Add(Path.GetFullPath(path));
                }
            }
            var rows = report.Benchmarks.Select((b, i) => new BenchmarkRow(
                benchmarkBlobs.Count == names.Count ? names[i] : b.Name, b.Samples, b.Clean, b.NotClean, b.NotDirty, b.Dirty,
                b.Details.Select(d => new DetailRow(d.Id, Math.Round(d.ContaminatedFraction, 4), d.Bucket, d.MatchingDocuments, d.MatchingDocumentIds)).ToList())).ToList();
            return new ContaminationSummary(rows, report.MinMatchTokens, report.SkipBudget, report.CorpusDocuments, report.ContaminatingDocuments.Count,
                done.Report.ToString(), decontaminateFolder is null ? null : cleaned);
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    private static void PrintHuman(ContaminationSummary s)
    {
        Console.WriteLine($"Corpus: {s.CorpusDocuments} documents, {s.ContaminatingDocuments} share a span of >= {s.MinMatchTokens} tokens (skip budget {s.SkipBudget}) with a benchmark.");
        foreach (var b in s.Benchmarks)
            Console.WriteLine($"{b.Name}: {b.Samples} samples; clean {b.Clean}, not clean {b.NotClean}, not dirty {b.NotDirty}, dirty {b.Dirty}");
        if (s.Decontaminated is { } files) Console.WriteLine("Decontaminated corpus: " + string.Join(", ", files));
    }

    private sealed record ContaminationSummary(IReadOnlyList<BenchmarkRow> Benchmarks, int MinMatchTokens, int SkipBudget, long CorpusDocuments, int ContaminatingDocuments, string Report, IReadOnlyList<string>? Decontaminated);

    private sealed record BenchmarkRow(string Name, int Samples, int Clean, int NotClean, int NotDirty, int Dirty, IReadOnlyList<DetailRow> Details);

    private sealed record DetailRow(string Id, double ContaminatedFraction, string Bucket, int MatchingDocuments, IReadOnlyList<string> MatchingDocumentIds);
}
