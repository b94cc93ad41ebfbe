using System.IO.Compression;
using System.Text;
using Microsoft.Extensions.Logging;
using Pipeline.BlobStorage;
using Pipeline.Contracts.Storage;
using Pipeline.Dedup.Staged;

namespace Pipeline.Dedup.Contamination;

/// <summary>
/// Contamination of corpus shards in the blob store against benchmark files there. The benchmark
/// index is in memory (benchmarks are small); the corpus streams in parallel batches. With
/// decontamination, a second pass copies each shard without the matching documents.
/// </summary>
public sealed class ContaminationRun(IBlobStore store, ILogger<ContaminationRun> logger)
{
    private const int BatchSize = 1024;

    public async Task<(ContaminationReport Report, IReadOnlyList<BlobReference>? Cleaned)> RunAsync(
        IReadOnlyList<BlobReference> benchmarks, IReadOnlyList<BlobReference> corpus, ContaminationOptions options,
        string container, string outputPrefix, bool decontaminate, CancellationToken cancellationToken)
    {
        var analyzer = new ContaminationAnalyzer(options);
        foreach (var benchmark in benchmarks)
        {
            var samples = new List<BenchmarkSample>();
            await foreach (var line in ShardLines.ReadAsync(store, benchmark, cancellationToken))
            {
                try
                {
                    samples.Add(BenchmarkSample.Parse(line, samples.Count + 1));
                }
                catch (System.Text.Json.JsonException ex)
                {
                    throw new InvalidDataException($"Benchmark {benchmark}: line {samples.Count + 1} is not JSON.", ex);
                }
            }
            analyzer.AddBenchmark(NameOf(benchmark), samples);
        }

        foreach (var shard in corpus)
        {
            var batch = new List<(string Id, string Text)>(BatchSize);
            var position = 0;
            await foreach (var line in ShardLines.ReadAsync(store, shard, cancellationToken))
            {
                batch.Add(ShardLines.Parse(line, shard, position++));
                if (batch.Count < BatchSize) continue;
                Parallel.ForEach(batch, d => analyzer.Scan(d.Id, d.Text));
                batch.Clear();
            }
            Parallel.ForEach(batch, d => analyzer.Scan(d.Id, d.Text));
        }
        var report = analyzer.Report();
        logger.LogInformation("Contamination: {Benchmarks} benchmarks against {Documents} corpus documents, {Contaminating} documents match",
            benchmarks.Count, report.CorpusDocuments, report.ContaminatingDocuments.Count);
        if (!decontaminate) return (report, null);

        var drop = report.ContaminatingDocuments.ToHashSet(StringComparer.Ordinal);
        var cleaned = new List<BlobReference>();
        for (var i = 0; i < corpus.Count; i++)
            cleaned.Add(await CopyWithoutAsync(corpus[i], drop, container, $"{outputPrefix}/decontaminated/{i:D5}.jsonl.gz", cancellationToken));
        return (report, cleaned);
    }

    private async Task<BlobReference> CopyWithoutAsync(BlobReference shard, IReadOnlySet<string> contaminating, string container, string name, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        await using (var writer = new StreamWriter(gzip, new UTF8Encoding(false)))
        {
            var position = 0;
            await foreach (var line in ShardLines.ReadAsync(store, shard, cancellationToken))
            {
                if (!contaminating.Contains(ShardLines.Parse(line, shard, position++).Id)) await writer.WriteLineAsync(line.AsMemory(), cancellationToken);
            }
        }
        buffer.Position = 0;
        return await store.WriteAsync(container, name, buffer, BlobWriteMode.Overwrite, cancellationToken);
    }

    /// <summary>A benchmark's name is its file name without folders and extensions (<c>bench/mmlu.jsonl.gz</c> is <c>mmlu</c>).</summary>
    public static string NameOf(BlobReference benchmark)
    {
        var name = benchmark.Name[(benchmark.Name.LastIndexOf('/') + 1)..];
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 ? name[..dot] : name;
    }
}
