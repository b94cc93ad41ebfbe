using System.CommandLine;
using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Pipeline.BlobStorage;
using Pipeline.Cli.Hosting;
using Pipeline.Cli.Output;
using Pipeline.Contracts.Messages;
using Pipeline.Ingest;
using Pipeline.Ingest.Reading;
using Pipeline.Ingest.Reports;

namespace Pipeline.Cli.Commands;

/// <summary>
/// `pipeline ingest`: copies local files into the embedded blob store, publishes IngestCorpus, awaits
/// CorpusIngested (the same consumers as the Ingest service, through the in-memory bus), then exports
/// kept and rejected shards, quarantine and the report to --out.
/// </summary>
internal static class IngestCommand
{
    public static Command Create()
    {
        var input = new Option<string[]>("--input") { Description = "Files or folders: .jsonl, .txt, .parquet, optionally .gz or .zst.", Required = true, AllowMultipleArgumentsPerToken = true };
        var output = new Option<DirectoryInfo?>("--out") { Description = "Folder for kept/, rejected/, quarantine/ and report/ (default: DATA_DIR/ingest/RUN_ID)." };
        var languages = new Option<string?>("--languages") { Description = "Comma-separated ISO 639-1 codes to keep (default: every language)." };
        var textField = new Option<string>("--text-field") { Description = "JSONL field that holds the text.", DefaultValueFactory = _ => "text" };
        var command = new Command("ingest", "Normalise, identify languages, filter (Gopher, C4, FineWeb), redact PII, score toxicity and count demographics; print per-shard and total counts.");
        foreach (var option in new Option[] { input, output, languages, textField }) command.Options.Add(option);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var json = parse.GetValue(CommonOptions.Json);
            try
            {
                var codes = (parse.GetValue(languages) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(c => c.ToLowerInvariant()).ToList();
                // Progress on stderr, so that --json output on stdout stays one document.
                var summary = await RunAsync(parse.GetValue(CommonOptions.DataDirectory)!, parse.GetValue(input)!, parse.GetValue(output)?.FullName, codes, parse.GetValue(textField)!, Console.Error, cancellationToken);
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

    /// <param name="progress">Gets a line per finished shard (null: none).</param>
    internal static async Task<IngestSummary> RunAsync(string dataDirectory, string[] inputs, string? outputDirectory, IReadOnlyList<string> languages, string textField, TextWriter? progress, CancellationToken cancellationToken)
    {
        var runId = Guid.NewGuid();
        var files = ResolveInputs(inputs);
        using var host = EmbeddedHost.Build(dataDirectory);
        await host.StartAsync(cancellationToken);
        try
        {
            var store = host.Services.GetRequiredService<IBlobStore>();
            var container = host.Services.GetRequiredService<IOptions<IngestOptions>>().Value.OutputContainer;
            var clock = Stopwatch.StartNew();
            var prefix = $"cli/{runId:N}/";
            foreach (var (path, name) in files)
            {
                await using var file = File.OpenRead(path);
                await store.WriteAsync("raw", prefix + name, file, BlobWriteMode.Overwrite, cancellationToken);
            }
            var awaiter = new RunAwaiter(host.Services.GetRequiredService<IBus>());
            var shardProgress = progress is null ? null : new IngestProgress(progress, files.Count, clock);
            var done = await awaiter.PublishAndWaitAsync<IngestCorpus, CorpusIngested>(
                new IngestCorpus { RunId = runId, SourceContainer = "raw", SourcePrefix = prefix, Languages = languages, TextField = textField },
                TimeSpan.FromHours(6), cancellationToken,
                endpoint => endpoint.Handler<ShardFiltered>(context =>
                {
                    if (context.Message.RunId == runId) shardProgress?.ShardDone(context.Message);
                    return Task.CompletedTask;
                }));
            var report = await CorpusReportWriter.ReadAsync(store, done.Report!, cancellationToken);

            var folder = Path.GetFullPath(outputDirectory ?? Path.Combine(dataDirectory, "ingest", runId.ToString("N")));
            foreach (var shard in report.Shards)
            {
                await ExportAsync(store, container, shard.KeptBlob, Path.Combine(folder, "kept", shard.ShardId + ExtensionOf(shard.KeptBlob)), cancellationToken);
                if (shard.RejectedBlob is not null) await ExportAsync(store, container, shard.RejectedBlob, Path.Combine(folder, "rejected", shard.ShardId + ExtensionOf(shard.RejectedBlob)), cancellationToken);
                if (shard.QuarantineBlob is not null) await ExportAsync(store, container, shard.QuarantineBlob, Path.Combine(folder, "quarantine", shard.ShardId + ExtensionOf(shard.QuarantineBlob)), cancellationToken);
            }
            var reportFolder = done.Report!.Name[..done.Report.Name.LastIndexOf('/')];
            await foreach (var blob in store.ListAsync(container, reportFolder + "/", cancellationToken))
                await ExportAsync(store, container, blob.Name, Path.Combine(folder, "report", blob.Name[(reportFolder.Length + 1)..]), cancellationToken);

            var d = report.Documents;
            return new IngestSummary(
                runId,
                new DocumentTotals(d.Read, d.Kept, d.Rejected, d.Quarantined),
                report.Languages,
                report.KeptLanguages,
                report.Drops,
                report.Pii.Counts,
                new ToxicityTotals(report.Toxicity.Threshold, report.Toxicity.ToxicDocuments, report.Toxicity.ToxicShare),
                new DemographicTotals(report.Demographics.EnglishDocuments,
                    report.Demographics.Pronouns.ToDictionary(p => p.Key, p => p.Value.Share),
                    report.Demographics.IdentityAxes.ToDictionary(p => p.Key, p => p.Value.Share)),
                report.Shards.Select(s => new ShardTotals(s.ShardId, s.Source[prefix.Length..], s.Read, s.Kept, s.Rejected, s.Quarantined)).ToList(),
                folder,
                Path.Combine(folder, "report", "corpus-report.md"),
                Math.Round(clock.Elapsed.TotalSeconds, 2));
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>".jsonl.gz" of ".../kept.jsonl.gz": the shard's format, kept in the exported name.</summary>
    private static string ExtensionOf(string blobName)
    {
        var file = blobName[(blobName.LastIndexOf('/') + 1)..];
        var dot = file.IndexOf('.');
        return dot < 0 ? "" : file[dot..];
    }

    /// <summary>Each input file with its blob name: a folder's supported files keep their relative paths.</summary>
    private static List<(string Path, string Name)> ResolveInputs(string[] inputs)
    {
        var files = new List<(string, string)>();
        foreach (var input in inputs)
        {
            if (File.Exists(input))
            {
                files.Add((Path.GetFullPath(input), $"{files.Count:D4}-{Path.GetFileName(input)}"));
            }
            else if (Directory.Exists(input))
            {
                var root = Path.GetFullPath(input);
                foreach (var path in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Where(DocumentReader.IsSupported).Order(StringComparer.Ordinal))
                    files.Add((path, $"{files.Count:D4}-{Path.GetRelativePath(root, path).Replace(Path.DirectorySeparatorChar, '/').Replace('/', '-')}"));
            }
            else
            {
                throw new FileNotFoundException($"{input}: no such file or folder");
            }
        }
        if (files.Count == 0) throw new ArgumentException("No .jsonl, .txt or .parquet files (optionally .gz/.zst) in the given inputs.");
        return files;
    }

    private static async Task ExportAsync(IBlobStore store, string container, string name, string path, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await using var source = await store.OpenReadAsync(container, name, cancellationToken);
        await using var target = File.Create(path);
        await source.CopyToAsync(target, cancellationToken);
    }

    private static void PrintHuman(IngestSummary s)
    {
        Console.WriteLine($"{"shard",-34} {"read",7} {"kept",7} {"rejected",9} {"quarantined",12}");
        foreach (var shard in s.Shards)
            Console.WriteLine($"{shard.ShardId,-34} {shard.Read,7} {shard.Kept,7} {shard.Rejected,9} {shard.Quarantined,12}");
        Console.WriteLine($"{"total",-34} {s.Documents.Read,7} {s.Documents.Kept,7} {s.Documents.Rejected,9} {s.Documents.Quarantined,12}   ({s.ElapsedSeconds:F1} s)");
        var parsed = Math.Max(1, s.Documents.Read - s.Documents.Quarantined);
        Console.WriteLine("Languages: " + string.Join(", ", s.Languages.Select(p => $"{p.Key} {p.Value} ({100.0 * p.Value / parsed:F1} %)")));
        Console.WriteLine("Drops:     " + (s.Drops.Count == 0 ? "none" : string.Join(", ", s.Drops.Select(p => $"{p.Key} {p.Value}"))));
        Console.WriteLine("PII:       " + (s.Pii.Count == 0 ? "none" : string.Join(", ", s.Pii.Select(p => $"{p.Key} {p.Value}"))));
        Console.WriteLine($"Toxicity:  {s.Toxicity.ToxicDocuments} kept documents ({s.Toxicity.ToxicShare:P2}) score >= {s.Toxicity.Threshold}");
        Console.WriteLine($"Pronouns ({s.Demographics.EnglishDocuments} English docs): " + string.Join(", ", s.Demographics.Pronouns.Select(p => $"{p.Key} {p.Value:P1}")));
        Console.WriteLine("Identity axes: " + string.Join(", ", s.Demographics.IdentityAxes.Select(p => $"{p.Key} {p.Value:P1}")));
        Console.WriteLine($"Output:    {s.Output}");
        Console.WriteLine($"Report:    {s.Report}");
    }

    internal sealed record IngestSummary(Guid RunId, DocumentTotals Documents, IReadOnlyDictionary<string, long> Languages, IReadOnlyDictionary<string, long> KeptLanguages,
        IReadOnlyDictionary<string, long> Drops, IReadOnlyDictionary<string, long> Pii, ToxicityTotals Toxicity, DemographicTotals Demographics,
        IReadOnlyList<ShardTotals> Shards, string Output, string Report, double ElapsedSeconds);

    internal sealed record DocumentTotals(long Read, long Kept, long Rejected, long Quarantined);

    internal sealed record ToxicityTotals(double Threshold, long ToxicDocuments, double ToxicShare);

    internal sealed record DemographicTotals(long EnglishDocuments, IReadOnlyDictionary<string, double> Pronouns, IReadOnlyDictionary<string, double> IdentityAxes);

    internal sealed record ShardTotals(string ShardId, string Source, long Read, long Kept, long Rejected, long Quarantined);
}
