using System.CommandLine;
using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Pipeline.BlobStorage;
using Pipeline.Cli.Hosting;
using Pipeline.Cli.Output;
using Pipeline.Contracts.Messages;
using Pipeline.Contracts.Storage;
using Pipeline.Ingest.Sft;

namespace Pipeline.Cli.Commands;

/// <summary>`pipeline curate-sft`: publishes CurateSft on the embedded bus, awaits SftDatasetCurated, exports the splits.</summary>
internal static class CurateSftCommand
{
    public static Command Create()
    {
        var input = new Option<FileInfo[]>("--input") { Description = "SFT JSONL files: {messages, category?}, {instruction, input?, output} or {prompt, response}.", Required = true, AllowMultipleArgumentsPerToken = true };
        var ratio = new Option<double>("--safety-ratio") { Description = "Target share of safety examples.", DefaultValueFactory = _ => 0.25 };
        var evalFraction = new Option<double>("--eval-fraction") { Description = "Share of examples held out for evaluation.", DefaultValueFactory = _ => 0.05 };
        var output = new Option<DirectoryInfo?>("--out") { Description = "Folder for train.jsonl, eval.jsonl, quarantine.jsonl, filtered.jsonl, summary.json (default: DATA_DIR/sft/RUN_ID)." };
        var command = new Command("curate-sft", "Validate, filter, deduplicate, balance and split SFT examples; bad records are quarantined with their line numbers.");
        foreach (var option in new Option[] { input, ratio, evalFraction, output }) command.Options.Add(option);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var json = parse.GetValue(CommonOptions.Json);
            try
            {
                var summary = await RunAsync(parse.GetValue(CommonOptions.DataDirectory)!, parse.GetValue(input)!, parse.GetValue(ratio), parse.GetValue(evalFraction), parse.GetValue(output)?.FullName, cancellationToken);
                CliOutput.Write(summary, json, PrintHuman);
                return 0;
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException or ArgumentException or PipelineStageFailedException or TimeoutException)
            {
                return CliOutput.Fail(ex.Message, json);
            }
        });
        return command;
    }

    private static async Task<CurateSummary> RunAsync(string dataDirectory, FileInfo[] inputs, double ratio, double evalFraction, string? outputDirectory, CancellationToken cancellationToken)
    {
        var runId = Guid.NewGuid();
        using var host = EmbeddedHost.Build(dataDirectory);
        await host.StartAsync(cancellationToken);
        try
        {
            var store = host.Services.GetRequiredService<IBlobStore>();
            var clock = Stopwatch.StartNew();
            var files = new List<BlobReference>();
            foreach (var input in inputs)
            {
                if (!input.Exists) throw new FileNotFoundException($"{input.FullName}: no such file");
                await using var file = input.OpenRead();
                files.Add(await store.WriteAsync("raw", $"cli/{runId:N}/sft/{files.Count:D4}-{input.Name}", file, BlobWriteMode.Overwrite, cancellationToken));
            }
            var awaiter = new RunAwaiter(host.Services.GetRequiredService<IBus>());
            var curated = await awaiter.PublishAndWaitAsync<CurateSft, SftDatasetCurated>(
                new CurateSft { RunId = runId, Files = files, SafetyRatio = ratio, EvalFraction = evalFraction }, TimeSpan.FromHours(1), cancellationToken);
            var result = await store.ReadJsonAsync<SftCurationSummary>(curated.Summary!.Container, curated.Summary.Name, cancellationToken);

            var folder = Path.GetFullPath(outputDirectory ?? Path.Combine(dataDirectory, "sft", runId.ToString("N")));
            Directory.CreateDirectory(folder);
            var blobFolder = curated.Train.Name[..curated.Train.Name.LastIndexOf('/')];
            await foreach (var blob in store.ListAsync(curated.Train.Container, blobFolder + "/", cancellationToken))
            {
                await using var source = await store.OpenReadAsync(blob.Container, blob.Name, cancellationToken);
                await using var target = File.Create(Path.Combine(folder, blob.Name[(blobFolder.Length + 1)..]));
                await source.CopyToAsync(target, cancellationToken);
            }
            return new CurateSummary(runId, curated.ExamplesRead, curated.TrainExamples, curated.EvalExamples, curated.QuarantinedExamples,
                result.ExactDuplicates, result.NearDuplicates, result.Filtered, result.DroppedForBalance, result.SafetyRatioTarget, result.SafetyRatio,
                result.Categories, Path.Combine(folder, "train.jsonl"), Path.Combine(folder, "eval.jsonl"), folder, Math.Round(clock.Elapsed.TotalSeconds, 2));
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    private static void PrintHuman(CurateSummary s)
    {
        Console.WriteLine($"Read {s.Read}: train {s.Train}, eval {s.Eval}, quarantined {s.Quarantined} ({s.ElapsedSeconds:F1} s)");
        Console.WriteLine($"Duplicates: {s.ExactDuplicates} exact, {s.NearDuplicates} near; filtered: " + (s.Filtered.Count == 0 ? "none" : string.Join(", ", s.Filtered.Select(p => $"{p.Key} {p.Value}"))));
        Console.WriteLine($"Balance: dropped {s.DroppedForBalance}; safety share {s.SafetyRatio:P1} (target {s.SafetyRatioTarget:P1}); " + string.Join(", ", s.Categories.Select(p => $"{p.Key} {p.Value}")));
        Console.WriteLine($"Train: {s.TrainFile}");
        Console.WriteLine($"Eval:  {s.EvalFile}");
        Console.WriteLine($"All outputs (quarantine.jsonl, filtered.jsonl, summary.json): {s.Output}");
    }

    private sealed record CurateSummary(Guid RunId, long Read, long Train, long Eval, long Quarantined, long ExactDuplicates, long NearDuplicates,
        IReadOnlyDictionary<string, long> Filtered, long DroppedForBalance, double SafetyRatioTarget, double SafetyRatio, IReadOnlyDictionary<string, long> Categories,
        string TrainFile, string EvalFile, string Output, double ElapsedSeconds);
}
