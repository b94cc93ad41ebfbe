using System.IO.Compression;
using System.Text;
using System.Text.Json;
using MassTransit.Testing;
using Pipeline.BlobStorage;
using Pipeline.Contracts.Messages;
using Pipeline.Ingest.Processing;
using Pipeline.Ingest.Reports;

namespace Pipeline.Ingest.Tests.Consumers;

public sealed class IngestConsumerTests
{
    private static async Task<List<JsonElement>> ReadJsonlGzAsync(IBlobStore store, string container, string name)
    {
        await using var stream = await store.OpenReadAsync(container, name);
        await using var gzip = new GZipStream(stream, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        var records = new List<JsonElement>();
        while (await reader.ReadLineAsync() is { } line) records.Add(JsonDocument.Parse(line).RootElement.Clone());
        return records;
    }

    [Fact]
    public async Task Bundled_corpus_is_ingested_shard_by_shard_and_the_report_accounts_for_every_document()
    {
        await using var host = await IngestHarness.StartAsync();
        foreach (var file in new[] { "brown.jsonl.gz", "spam-assassin.jsonl.gz", "fortunes-de.jsonl", "edge-cases.jsonl", "txt/brown-ca06.txt" })
            await host.UploadAsync("raw", $"demo/{file}", Samples.Corpus(file));
        var runId = Guid.NewGuid();

        await host.Harness.Bus.Publish(new IngestCorpus { RunId = runId, SourceContainer = "raw", SourcePrefix = "demo/" });

        Assert.True(await host.Harness.Published.Any<CorpusIngested>(m => m.Context.Message.RunId == runId));
        Assert.Equal(5, host.Harness.Published.Select<FilterShard>().Count());
        Assert.True(await host.Harness.Consumed.Any<ShardFiltered>());
        var shards = host.Harness.Published.Select<ShardFiltered>().Select(m => m.Context.Message).ToList();
        Assert.Equal(5, shards.Count);
        foreach (var shard in shards)
            Assert.Equal(shard.DocumentsRead, shard.DocumentsKept + shard.DocumentsRejected + shard.DocumentsQuarantined);

        var ingested = host.Harness.Published.Select<CorpusIngested>().Single().Context.Message;
        Assert.Equal(380 + 100 + 160 + 25 + 1, ingested.DocumentsRead);
        // The completion check lists the results folder on every ShardFiltered: it must hold exactly one blob per shard.
        var results = new List<string>();
        await foreach (var blob in host.Store.ListAsync("corpus", RunLayout.ResultsPrefix(runId))) results.Add(blob.Name);
        Assert.Equal(shards.Select(s => RunLayout.Result(runId, s.ShardId)).Order(StringComparer.Ordinal), results.Order(StringComparer.Ordinal));
        Assert.Equal(shards.Sum(s => s.DocumentsKept), ingested.DocumentsKept);
        Assert.Equal(5, ingested.KeptShards.Count);

        var report = await CorpusReportWriter.ReadAsync(host.Store, ingested.Report!);
        Assert.True(report.Languages["en"] > report.Languages["de"]);
        Assert.True(report.Languages["de"] >= 100);
        Assert.Contains("gopher_quality:word_count", report.Drops.Keys);
        Assert.True(report.Pii.Counts.GetValueOrDefault("email") > 0);
        Assert.InRange(report.Toxicity.ToxicShare, 0, 0.2);
        Assert.True(report.Demographics.Pronouns["he"].Share > 0.3);
        foreach (var png in new[] { "languages.png", "filter-drops.png", "pii.png", "toxicity.png", "demographics-pronouns.png", "demographics-identity.png" })
        {
            var bytes = await host.Store.ReadBytesAsync("corpus", $"{RunLayout.ReportFolder(runId)}/{png}");
            Assert.True(bytes.AsSpan().StartsWith(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }), png);
        }
        Assert.NotNull(await host.Store.GetAsync("corpus", $"{RunLayout.ReportFolder(runId)}/corpus-report.md"));

        var brown = shards.Single(s => s.Source.Name.EndsWith("brown.jsonl.gz", StringComparison.Ordinal));
        var kept = await ReadJsonlGzAsync(host.Store, "corpus", brown.Kept.Name);
        Assert.Equal(brown.DocumentsKept, kept.Count);
        Assert.All(kept, record =>
        {
            Assert.StartsWith("brown-", record.GetProperty("id").GetString());
            Assert.Equal("en", record.GetProperty("meta").GetProperty("language").GetString());
            Assert.InRange(record.GetProperty("meta").GetProperty("language_score").GetDouble(), 0.5, 1);
        });
        var edge = shards.Single(s => s.Source.Name.EndsWith("edge-cases.jsonl", StringComparison.Ordinal));
        var rejects = await ReadJsonlGzAsync(host.Store, "corpus", edge.Rejected!.Name);
        Assert.Contains(rejects, r => r.GetProperty("id").GetString() == "handmade-too-short" && r.GetProperty("meta").GetProperty("reject_reason").GetString() == "gopher_quality:word_count");
        var edgeKept = await ReadJsonlGzAsync(host.Store, "corpus", edge.Kept.Name);
        var pii = edgeKept.Single(r => r.GetProperty("id").GetString() == "handmade-pii-contact-page");
        var text = pii.GetProperty("text").GetString()!;
        Assert.DoesNotContain("jane.doe@example.org", text);
        Assert.Contains("<EMAIL>", text);
        Assert.Contains("2.4.1", text);
    }

    [Fact]
    public async Task Processing_a_shard_twice_publishes_one_result_and_the_run_completes_once()
    {
        await using var host = await IngestHarness.StartAsync();
        await host.UploadAsync("raw", "twice/edge-cases.jsonl", Samples.Corpus("edge-cases.jsonl"));
        var runId = Guid.NewGuid();
        await host.Harness.Bus.Publish(new IngestCorpus { RunId = runId, SourceContainer = "raw", SourcePrefix = "twice/" });
        Assert.True(await host.Harness.Published.Any<CorpusIngested>(m => m.Context.Message.RunId == runId));
        var shard = host.Harness.Published.Select<FilterShard>().Single().Context.Message;

        await host.Harness.Bus.Publish(shard);
        await host.Harness.Bus.Publish(shard);
        await host.Harness.Bus.Publish(new IngestCorpus { RunId = runId, SourceContainer = "raw", SourcePrefix = "twice/" });

        await host.Harness.InactivityTask;
        Assert.Equal(4, host.Harness.Consumed.Select<FilterShard>().Count());
        Assert.Equal(2, host.Harness.Consumed.Select<IngestCorpus>().Count());
        Assert.Single(host.Harness.Published.Select<ShardFiltered>());
        Assert.Single(host.Harness.Published.Select<CorpusIngested>());
        Assert.False(host.Harness.Published.Select<MassTransit.Fault>().Any());
    }

    [Fact]
    public async Task With_zstd_output_the_shards_are_jsonl_zst_with_the_same_records()
    {
        await using var host = await IngestHarness.StartAsync(new Dictionary<string, string?> { ["Ingest:OutputCompression"] = "Zstd" });
        await host.UploadAsync("raw", "zstd/edge-cases.jsonl", Samples.Corpus("edge-cases.jsonl"));
        var runId = Guid.NewGuid();

        await host.Harness.Bus.Publish(new IngestCorpus { RunId = runId, SourceContainer = "raw", SourcePrefix = "zstd/" });

        Assert.True(await host.Harness.Published.Any<CorpusIngested>(m => m.Context.Message.RunId == runId));
        var shard = host.Harness.Published.Select<ShardFiltered>().Single().Context.Message;
        Assert.EndsWith("/kept.jsonl.zst", shard.Kept.Name);
        Assert.EndsWith("/rejected.jsonl.zst", shard.Rejected!.Name);
        var kept = await ReadJsonlZstAsync(host.Store, "corpus", shard.Kept.Name);
        var rejected = await ReadJsonlZstAsync(host.Store, "corpus", shard.Rejected.Name);
        Assert.Equal((shard.DocumentsKept, shard.DocumentsRejected), (kept.Count, rejected.Count));
        Assert.All(kept, r => Assert.False(string.IsNullOrEmpty(r.GetProperty("meta").GetProperty("language").GetString())));
        Assert.All(rejected, r => Assert.False(string.IsNullOrEmpty(r.GetProperty("meta").GetProperty("reject_reason").GetString())));
    }

    private static async Task<List<JsonElement>> ReadJsonlZstAsync(IBlobStore store, string container, string name)
    {
        await using var stream = await store.OpenReadAsync(container, name);
        await using var zstd = new ZstdSharp.DecompressionStream(stream);
        using var reader = new StreamReader(zstd, Encoding.UTF8);
        var records = new List<JsonElement>();
        while (await reader.ReadLineAsync() is { } line) records.Add(JsonDocument.Parse(line).RootElement.Clone());
        return records;
    }

    /// <summary>Three groups of the two-level completion count (64, 64 and 2 shards): the run completes once, after the last.</summary>
    [Fact]
    public async Task A_run_of_more_shards_than_one_group_completes_once_with_every_group_counted()
    {
        await using var host = await IngestHarness.StartAsync();
        var shardCount = 2 * FanInLayout.UnitsPerGroup + 2;
        for (var i = 0; i < shardCount; i++)
            await host.Store.WriteTextAsync("raw", $"many/note-{i:D3}.txt", $"Note {i}: the meeting has moved to the second floor, and the minutes are with the secretary.");
        var runId = Guid.NewGuid();

        await host.Harness.Bus.Publish(new IngestCorpus { RunId = runId, SourceContainer = "raw", SourcePrefix = "many/" });

        Assert.True(await host.Harness.Published.Any<CorpusIngested>(m => m.Context.Message.RunId == runId));
        await host.Harness.InactivityTask;
        Assert.Equal(shardCount, host.Harness.Published.Select<ShardFiltered>().Count());
        var ingested = Assert.Single(host.Harness.Published.Select<CorpusIngested>()).Context.Message;
        Assert.Equal(shardCount, ingested.DocumentsRead);
        Assert.Equal(shardCount, ingested.KeptShards.Count);
        var completion = RunLayout.Completion(runId, shardCount);
        for (var group = 0; group < 3; group++)
        {
            var results = 0;
            await foreach (var _ in host.Store.ListAsync("corpus", completion.GroupPrefix(group))) results++;
            Assert.Equal(completion.GroupSize(group), results);
            Assert.NotNull(await host.Store.GetAsync("corpus", completion.GroupDone(group)));
        }
        Assert.False(host.Harness.Published.Select<MassTransit.Fault>().Any());
    }

    [Fact]
    public async Task A_result_stored_but_never_announced_is_announced_by_the_redelivery()
    {
        await using var host = await IngestHarness.StartAsync();
        await host.UploadAsync("raw", "crash/edge-cases.jsonl", Samples.Corpus("edge-cases.jsonl"));
        var runId = Guid.NewGuid();
        await host.Harness.Bus.Publish(new IngestCorpus { RunId = runId, SourceContainer = "raw", SourcePrefix = "crash/" });
        Assert.True(await host.Harness.Published.Any<CorpusIngested>(m => m.Context.Message.RunId == runId));
        var shard = host.Harness.Published.Select<FilterShard>().Single().Context.Message;
        await host.Harness.InactivityTask;

        // What a crash right after storing the results leaves behind: results, no announcements.
        Assert.True(await host.Store.DeleteAsync("corpus", RunLayout.ResultAnnounced(runId, shard.ShardId)));
        Assert.True(await host.Store.DeleteAsync("corpus", RunLayout.CompletedAnnounced(runId)));
        await host.Harness.Bus.Publish(shard);

        // The harness's inactivity task has already fired once; wait for the second announcement itself.
        for (var waited = 0; host.Harness.Published.Select<CorpusIngested>().Count() < 2 && waited < 300; waited++) await Task.Delay(100);
        var filtered = host.Harness.Published.Select<ShardFiltered>().Select(m => m.Context.Message).ToList();
        Assert.Equal(2, filtered.Count);
        Assert.Equal(filtered[0].Kept, filtered[1].Kept);
        Assert.Equal(filtered[0].DocumentsRead, filtered[1].DocumentsRead);
        var ingested = host.Harness.Published.Select<CorpusIngested>().Select(m => m.Context.Message).ToList();
        Assert.Equal(2, ingested.Count);
        Assert.Equal(ingested[0].Report, ingested[1].Report);
        Assert.NotNull(await host.Store.GetAsync("corpus", RunLayout.ResultAnnounced(runId, shard.ShardId)));
        Assert.NotNull(await host.Store.GetAsync("corpus", RunLayout.CompletedAnnounced(runId)));
    }

    [Fact]
    public async Task Malformed_lines_are_quarantined_with_line_and_reason_and_the_rest_of_the_file_is_kept()
    {
        await using var host = await IngestHarness.StartAsync();
        var good = File.ReadLines(Samples.Corpus("edge-cases.jsonl")).First(l => l.Contains("handmade-demographics"));
        var lines = new List<byte[]>
        {
            Encoding.UTF8.GetBytes(good),
            Encoding.UTF8.GetBytes("{\"id\": 2, \"text\": 42}"),
            Encoding.UTF8.GetBytes("{\"id\": \"3\", \"body\": \"no text field\"}"),
            "{\"id\":\"4\",\"text\":\"bad "u8.ToArray().Concat(new byte[] { 0xC3, 0x28 }).Concat("\"}"u8.ToArray()).ToArray(),
            Encoding.UTF8.GetBytes("{not json"),
            Encoding.UTF8.GetBytes(good.Replace("handmade-demographics", "again")),
        };
        var file = lines.SelectMany(l => l.Append((byte)'\n')).ToArray();
        await host.Store.WriteBytesAsync("raw", "bad/mixed.jsonl", file);
        var runId = Guid.NewGuid();

        await host.Harness.Bus.Publish(new IngestCorpus { RunId = runId, SourceContainer = "raw", SourcePrefix = "bad/" });

        Assert.True(await host.Harness.Published.Any<ShardFiltered>());
        var result = host.Harness.Published.Select<ShardFiltered>().Single().Context.Message;
        Assert.Equal(6, result.DocumentsRead);
        Assert.Equal(4, result.DocumentsQuarantined);
        Assert.Equal(2, result.DocumentsKept + result.DocumentsRejected);
        var quarantine = await ReadJsonlGzAsync(host.Store, "corpus", result.Quarantined!.Name);
        Assert.Equal([2L, 3L, 4L, 5L], quarantine.Select(q => q.GetProperty("line").GetInt64()));
        Assert.Contains("must be a string", quarantine[0].GetProperty("reason").GetString());
        Assert.Contains("missing text field", quarantine[1].GetProperty("reason").GetString());
        Assert.Contains("invalid UTF-8", quarantine[2].GetProperty("reason").GetString());
        Assert.Contains("malformed JSON", quarantine[3].GetProperty("reason").GetString());
        Assert.All(quarantine, q => Assert.Equal("bad/mixed.jsonl", q.GetProperty("file").GetString()));
    }
}
