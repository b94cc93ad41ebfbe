using System.Text.Json;
using MassTransit.Testing;
using Pipeline.BlobStorage;
using Pipeline.Contracts.Messages;
using Pipeline.Dedup.Tests.Support;

namespace Pipeline.Dedup.Tests.Contamination;

public sealed class ContaminationConsumerTests
{
    [Fact]
    public async Task AnalyseContamination_reports_buckets_and_writes_a_corpus_without_the_matching_documents()
    {
        var brown = SampleData.Brown();
        await using var dedup = new DedupHarness();
        await dedup.StartAsync();
        // Benchmark: the first 300 characters of three texts; the corpus holds two of them verbatim.
        var benchmark = await dedup.WriteShardAsync("bench/brownqa.jsonl", brown.Take(3).Select(d => (d.Id, d.Text[..300])));
        var corpus = await dedup.WriteShardAsync("corpus/c.jsonl.gz", brown.Skip(10).Take(20).Append(("copy-0", "Preface. " + brown[0].Text)).Append(("copy-1", brown[1].Text)));
        var runId = Guid.NewGuid();

        await dedup.Harness.Bus.Publish(new AnalyseContamination { RunId = runId, Benchmarks = [benchmark], Corpus = [corpus], Decontaminate = true });
        var done = await dedup.WaitForPublishedAsync<ContaminationAnalysed>(m => m.RunId == runId);
        Assert.Single(dedup.Harness.Published.Select<ContaminationAnalysed>());

        using var report = JsonDocument.Parse(await dedup.Store.ReadBytesAsync(done.Report.Container, done.Report.Name));
        var bench = report.RootElement.GetProperty("benchmarks").EnumerateArray().Single();
        Assert.Equal(("brownqa", 3, 2, 1), (bench.GetProperty("name").GetString(), bench.GetProperty("samples").GetInt32(), bench.GetProperty("dirty").GetInt32(), bench.GetProperty("clean").GetInt32()));

        var cleaned = await dedup.ReadLinesAsync(Assert.Single(done.DecontaminatedShards!));
        var ids = cleaned.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("id").GetString()).ToList();
        Assert.Equal(20, ids.Count);
        Assert.DoesNotContain("copy-0", ids);
        Assert.DoesNotContain("copy-1", ids);
    }
}
