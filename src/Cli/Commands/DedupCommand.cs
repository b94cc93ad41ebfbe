using System.CommandLine;
using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Pipeline.BlobStorage;
using Pipeline.Cli.Hosting;
using Pipeline.Cli.Output;
using Pipeline.Contracts.Messages;
using Pipeline.Dedup.Core;
using Pipeline.Dedup.Inputs;
using Pipeline.Dedup.Staged;

namespace Pipeline.Cli.Commands;

/// <summary>
/// `pipeline dedup`: exact + MinHash-LSH near-duplicate removal, run through the same staged bus flow
/// the Dedup service runs (embedded: in-memory bus, local blob store under --data-dir).
/// </summary>
internal static class DedupCommand
{
    public static Command Create()
    {
        var input = new Option<string[]>("--input") { Description = "JSONL shards ({id,text,meta}, .gz or .zst allowed): files, folders, or container/name blobs.", Required = true, AllowMultipleArgumentsPerToken = true };
        var output = new Option<DirectoryInfo?>("--out") { Description = "Folder for kept.jsonl and removed.jsonl (default: DATA_DIR/dedup/RUN_ID)." };
        var threshold = new Option<double>("--threshold") { Description = "Jaccard similarity at which two documents are near duplicates.", DefaultValueFactory = _ => 0.8 };
        var ngram = new Option<int>("--ngram") { Description = "Word n-gram (shingle) size.", DefaultValueFactory = _ => 5 };
        var perms = new Option<int>("--perms") { Description = "MinHash permutations.", DefaultValueFactory = _ => 128 };
        var index = new Option<string?>("--index") { Description = "Persistent index name: runs sharing it are deduplicated against each other's kept documents (default: a fresh index per run)." };
        var command = new Command("dedup", "Remove exact and near-duplicate documents; prints counts, cluster sizes and the LSH S-curve, writes kept and removed lists.");
        foreach (var o in new Option[] { input, output, threshold, ngram, perms, index }) command.Options.Add(o);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var json = parse.GetValue(CommonOptions.Json);
            try
            {
                var summary = await RunAsync(parse.GetValue(CommonOptions.DataDirectory)!, parse.GetValue(input)!, parse.GetValue(output)?.FullName,
                    parse.GetValue(threshold), parse.GetValue(ngram), parse.GetValue(perms), parse.GetValue(index), cancellationToken);
                CliOutput.Write(summary, json, PrintHuman);
                return 0;
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException or ArgumentException or PipelineStageFailedException or TimeoutException or InvalidBlobNameException)
            {
                return CliOutput.Fail(ex.Message, json);
            }
        });
        return command;
    }

    private static async Task<DedupSummary> RunAsync(string dataDirectory, string[] inputs, string? outputDirectory, double threshold, int ngram, int perms, string? indexName, CancellationToken cancellationToken)
    {
        var runId = Guid.NewGuid();
        var settings = new Dictionary<string, string?> { ["Dedup:IndexName"] = indexName ?? $"cli-{runId:N}" };
        using var host = EmbeddedHost.Build(dataDirectory, settings);
        await host.StartAsync(cancellationToken);
        try
        {
            var store = host.Services.GetRequiredService<IBlobStore>();
            var clock = Stopwatch.StartNew();
            var shards = await LocalInputs.ResolveAsync(store, inputs, "dedup-input", $"cli/{runId:N}", cancellationToken);
            var awaiter = new RunAwaiter(host.Services.GetRequiredService<IBus>());
            var done = await awaiter.PublishAndWaitAsync<DeduplicateCorpus, CorpusDeduplicated>(
                new DeduplicateCorpus { RunId = runId, Shards = shards, JaccardThreshold = threshold, NgramSize = ngram, Permutations = perms },
                TimeSpan.FromHours(6), cancellationToken);
            var result = await store.ReadJsonAsync<DedupRunResult>(done.Report!.Container, done.Report.Name, cancellationToken);

            var folder = outputDirectory ?? Path.Combine(dataDirectory, "dedup", runId.ToString("N"));
            Directory.CreateDirectory(folder);
            var keptPath = Path.Combine(folder, "kept.jsonl");
            await WriteKeptAsync(store, result, keptPath, cancellationToken);
            var removedPath = Path.Combine(folder, "removed.jsonl");
            await File.WriteAllBytesAsync(removedPath, await store.ReadBytesAsync(result.RemovedList.Container, result.RemovedList.Name, cancellationToken), cancellationToken);

            var s = result.Summary;
            return new DedupSummary(runId, s.DocumentsIn, s.DocumentsOut, s.ExactDuplicates, s.NearDuplicates, s.Clusters,
                s.ClusterSizes.ToDictionary(p => p.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), p => p.Value),
                result.Bands, result.Rows, result.SCurve, Path.GetFullPath(keptPath), Path.GetFullPath(removedPath),
                result.KeptShards.Select(k => k.ToString()).ToList(), Math.Round(clock.Elapsed.TotalSeconds, 2));
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>kept.jsonl: one <c>{id, text}</c> line per kept document; the blob-store kept shards keep the full records.</summary>
    private static async Task WriteKeptAsync(IBlobStore store, DedupRunResult result, string path, CancellationToken cancellationToken)
    {
        await using var writer = new StreamWriter(path, false, new UTF8Encoding(false));
        foreach (var shard in result.KeptShards)
        {
            await using var stream = await store.OpenReadAsync(shard, cancellationToken);
            await using var gzip = new GZipStream(stream, CompressionMode.Decompress);
            using var reader = new StreamReader(gzip);
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                if (line.Length == 0) continue;
                using var document = JsonDocument.Parse(line);
                var root = document.RootElement;
                await writer.WriteLineAsync(JsonSerializer.Serialize(new { id = root.GetProperty("id").ToString(), text = root.GetProperty("text").GetString() }));
            }
        }
    }

    private static void PrintHuman(DedupSummary s)
    {
        Console.WriteLine($"Documents in {s.DocumentsIn}, out {s.DocumentsOut}: {s.ExactDuplicates} exact and {s.NearDuplicates} near duplicates removed in {s.Clusters} clusters ({s.ElapsedSeconds:F1} s).");
        Console.WriteLine("Cluster sizes: " + (s.ClusterSizes.Count == 0 ? "none" : string.Join(", ", s.ClusterSizes.Select(p => $"{p.Key}: {p.Value}"))));
        Console.WriteLine($"LSH {s.Bands} bands x {s.Rows} rows; P(candidate) at Jaccard " + string.Join(", ", s.SCurve.Select(p => $"{p.Jaccard:F1}: {p.CandidateProbability:F3}")));
        Console.WriteLine($"Kept:    {s.Output}");
        Console.WriteLine($"Removed: {s.Removed}");
    }

    private sealed record DedupSummary(Guid RunId, long DocumentsIn, long DocumentsOut, long ExactDuplicates, long NearDuplicates, long Clusters,
        IReadOnlyDictionary<string, long> ClusterSizes, int Bands, int Rows, IReadOnlyList<SCurvePoint> SCurve, string Output, string Removed,
        IReadOnlyList<string> KeptShards, double ElapsedSeconds);
}
