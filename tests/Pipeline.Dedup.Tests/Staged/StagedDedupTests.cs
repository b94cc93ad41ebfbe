using System.Text.Json;
using MassTransit.Testing;
using Pipeline.BlobStorage;
using Pipeline.Contracts.Messages;
using Pipeline.Contracts.Storage;
using Pipeline.Dedup.Core;
using Pipeline.Dedup.Staged;
using Pipeline.Dedup.Tests.Support;

namespace Pipeline.Dedup.Tests.Staged;

public sealed class StagedDedupTests
{
    private static List<(string Id, string Text)> LabelledDocuments()
    {
        var (texts, _) = LabelledSet.Build();
        return texts.Select((t, i) => ($"doc-{i:D4}", t)).ToList();
    }

    private static async Task<CorpusDeduplicated> RunAsync(DedupHarness dedup, Guid runId, IReadOnlyList<BlobReference> shards)
    {
        await dedup.Harness.Bus.Publish(new DeduplicateCorpus { RunId = runId, Shards = shards });
        return await dedup.WaitForPublishedAsync<CorpusDeduplicated>(m => m.RunId == runId);
    }

    private static async Task<List<JsonElement>> RemovedAsync(DedupHarness dedup, CorpusDeduplicated done)
        => (await dedup.ReadLinesAsync(done.RemovedList!)).Select(l => JsonDocument.Parse(l).RootElement).ToList();

    [Fact]
    public async Task Staged_flow_over_three_shards_removes_exactly_what_the_in_memory_reference_removes()
    {
        var documents = LabelledDocuments();
        await using var dedup = new DedupHarness();
        await dedup.StartAsync();
        var shards = new[]
        {
            await dedup.WriteShardAsync("batch/a.jsonl.gz", documents.Take(100)),
            await dedup.WriteShardAsync("batch/b.jsonl", documents.Skip(100).Take(100)),
            await dedup.WriteShardAsync("batch/c.jsonl.zst", documents.Skip(200)),
        };
        var done = await RunAsync(dedup, Guid.NewGuid(), shards);

        var reference = new InMemoryDeduplicator(new DedupSettings { VerifyCandidates = false }).Deduplicate(documents.Select(d => d.Text).ToList());
        var expectedRemoved = reference.Where(d => !d.Kept).Select(d => documents[d.Index].Id).ToHashSet();
        var removed = await RemovedAsync(dedup, done);
        Assert.Equal(expectedRemoved.Order(), removed.Select(r => r.GetProperty("id").GetString()!).Order());
        Assert.Equal(reference.Count(d => d.Kind == DuplicateKind.Exact), done.ExactDuplicates);
        Assert.Equal((documents.Count, documents.Count - expectedRemoved.Count), (done.DocumentsIn, done.DocumentsOut));

        // Kept shards hold the input lines unchanged (id, text and meta), in order, minus the removed ones.
        var keptLines = new List<string>();
        foreach (var kept in done.KeptShards) keptLines.AddRange(await dedup.ReadLinesAsync(kept));
        var inputLines = new List<string>();
        foreach (var shard in shards) inputLines.AddRange(await dedup.ReadLinesAsync(shard));
        Assert.Equal(inputLines.Where(l => !expectedRemoved.Contains(JsonDocument.Parse(l).RootElement.GetProperty("id").GetString()!)), keptLines);

        // Each removed document names its cluster by the kept copy's key, and that copy is the first seen.
        var keyOfId = documents.Select((d, i) => (d.Id, Key: DocKey.Format(DocKey.Of(0, i / 100, i % 100)))).ToDictionary(x => x.Id, x => x.Key);
        Assert.All(removed, r => Assert.Equal(keyOfId[documents[reference[documents.FindIndex(d => d.Id == r.GetProperty("id").GetString())].Cluster].Id], r.GetProperty("cluster").GetString()));

        Assert.Equal(3, dedup.Harness.Published.Select<ShardDeduplicated>().Count());
        Assert.True(await dedup.Harness.Consumed.Any<ComputeDedupSignatures>());
        Assert.True(await dedup.Harness.Consumed.Any<FindDedupCandidates>());
        Assert.True(await dedup.Harness.Consumed.Any<ClusterDedupCandidates>());
        Assert.Equal(3, dedup.Harness.Consumed.Select<FilterDedupShard>().Count());
        var report = await dedup.Store.ReadJsonAsync<DedupRunResult>(done.Report!.Container, done.Report.Name);
        Assert.Equal(done.NearDuplicates + done.ExactDuplicates, report.Summary.ClusterSizes.Sum(c => (c.Key - 1) * c.Value));
    }

    [Fact]
    public async Task Batch_two_is_deduplicated_against_the_index_batch_one_left()
    {
        var originals = SampleData.Brown();
        await using var dedup = new DedupHarness();
        await dedup.StartAsync();
        var first = await RunAsync(dedup, Guid.NewGuid(), [await dedup.WriteShardAsync("b1/s.jsonl.gz", originals.Take(40))]);
        Assert.Equal(40, first.DocumentsOut);

        var random = new Random(7);
        var batch2 = new List<(string Id, string Text)>
        {
            ("copy-of-3", originals[3].Text),
            ("edit-of-5", Perturb.InsertWords(originals[5].Text, random, 0.01)),
            ("header-on-7", Perturb.AddBoilerplate(originals[7].Text, 1)),
            ("new-50", originals[50].Text),
            ("new-51", originals[51].Text),
            ("new-50-again", originals[50].Text),
        };
        var second = await RunAsync(dedup, Guid.NewGuid(), [await dedup.WriteShardAsync("b2/s.jsonl", batch2)]);

        var removed = (await RemovedAsync(dedup, second)).ToDictionary(r => r.GetProperty("id").GetString()!);
        Assert.Equal(["copy-of-3", "edit-of-5", "header-on-7", "new-50-again"], removed.Keys.Order());
        // Batch one is index segment 0: its documents keep their clusters; within batch two the first copy is kept.
        Assert.Equal(("0-0-3", "exact"), (removed["copy-of-3"].GetProperty("cluster").GetString(), removed["copy-of-3"].GetProperty("kind").GetString()));
        Assert.Equal("0-0-5", removed["edit-of-5"].GetProperty("cluster").GetString());
        Assert.Equal("0-0-7", removed["header-on-7"].GetProperty("cluster").GetString());
        Assert.Equal("1-0-3", removed["new-50-again"].GetProperty("cluster").GetString());
        Assert.Equal((6, 2, 2, 2), (second.DocumentsIn, second.DocumentsOut, second.ExactDuplicates, second.NearDuplicates));
    }

    [Fact]
    public async Task A_repeated_command_reuses_the_run_and_announces_it_once()
    {
        var documents = LabelledDocuments().Take(60).ToList();
        await using var dedup = new DedupHarness(bandRanges: 9);
        await dedup.StartAsync();
        var shards = new[] { await dedup.WriteShardAsync("r/a.jsonl.gz", documents.Take(30)), await dedup.WriteShardAsync("r/b.jsonl.gz", documents.Skip(30)) };
        var runId = Guid.NewGuid();
        var done = await RunAsync(dedup, runId, shards);
        var removedBefore = await dedup.Store.ReadBytesAsync(done.RemovedList!.Container, done.RemovedList.Name);

        await dedup.Harness.Bus.Publish(new DeduplicateCorpus { RunId = runId, Shards = shards });
        // The repeat's signature tasks find their done markers and stop there; give them time to run.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (dedup.Harness.Consumed.Select<ComputeDedupSignatures>().Count() < 4 && DateTime.UtcNow < deadline) await Task.Delay(50);
        await Task.Delay(500);
        Assert.Equal(2, dedup.Harness.Consumed.Select<DeduplicateCorpus>().Count());
        Assert.Equal(4, dedup.Harness.Consumed.Select<ComputeDedupSignatures>().Count());

        Assert.Single(dedup.Harness.Published.Select<CorpusDeduplicated>());
        Assert.Equal(2, dedup.Harness.Published.Select<ShardDeduplicated>().Count());
        Assert.Equal(removedBefore, await dedup.Store.ReadBytesAsync(done.RemovedList.Container, done.RemovedList.Name));
        // One index segment claimed, not two.
        var claims = new List<string>();
        await foreach (var blob in dedup.Store.ListAsync("dedup", "index/")) if (blob.Name.EndsWith("claim.json", StringComparison.Ordinal)) claims.Add(blob.Name);
        Assert.Single(claims);
    }
}
