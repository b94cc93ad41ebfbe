using MassTransit.Testing;
using Pipeline.BlobStorage;
using Pipeline.Contracts.Messages;
using Pipeline.Contracts.Storage;
using Pipeline.Ingest.Landing;
using Pipeline.Ingest.Processing;

namespace Pipeline.Ingest.Tests.Consumers;

public sealed class CorpusLandingTests
{
    private static async Task<BlobReference> ReferenceAsync(IBlobStore store, string container, string name)
    {
        var blob = await store.GetAsync(container, name) ?? throw new InvalidOperationException($"{container}/{name} is missing");
        return new BlobReference { Container = container, Name = name, Sha256 = blob.Sha256 ?? "", Size = blob.Size };
    }

    [Fact]
    public async Task A_landed_batch_is_ingested_from_the_files_it_names_and_once_when_announced_twice()
    {
        await using var host = await IngestHarness.StartAsync();
        await host.UploadAsync("raw", "landing/b1/brown-ca06.txt", Samples.Corpus("txt/brown-ca06.txt"));
        await host.UploadAsync("raw", "landing/b1/fortunes-de.jsonl", Samples.Corpus("fortunes-de.jsonl"));
        // Under the same prefix but not named by the event: not part of the batch.
        await host.UploadAsync("raw", "landing/b1/late.jsonl", Samples.Corpus("edge-cases.jsonl"));
        var landed = new CorpusLanded
        {
            RunId = Guid.NewGuid(),
            Container = "raw",
            Prefix = "landing/b1/",
            Files = [await ReferenceAsync(host.Store, "raw", "landing/b1/brown-ca06.txt"), await ReferenceAsync(host.Store, "raw", "landing/b1/fortunes-de.jsonl")],
        };

        await host.Harness.Bus.Publish(landed);
        Assert.True(await host.Harness.Published.Any<CorpusIngested>(m => m.Context.Message.RunId == landed.RunId));
        await host.Harness.Bus.Publish(landed);
        await host.Harness.InactivityTask;
        Assert.Equal(2, host.Harness.Consumed.Select<CorpusLanded>().Count());

        var ingested = host.Harness.Published.Select<CorpusIngested>().Select(m => m.Context.Message).Where(m => m.RunId == landed.RunId).ToList();
        Assert.Single(ingested);
        Assert.Equal(1 + 160, ingested[0].DocumentsRead);
        Assert.Equal(2, ingested[0].KeptShards.Count);
        var plan = await host.Store.ReadJsonAsync<IngestPlan>("corpus", RunLayout.Plan(landed.RunId));
        Assert.Equal(["landing/b1/brown-ca06.txt", "landing/b1/fortunes-de.jsonl"], plan.Shards.Select(s => s.Source.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_landed_event_that_names_no_files_ingests_everything_under_its_prefix()
    {
        await using var host = await IngestHarness.StartAsync();
        await host.UploadAsync("raw", "landing/b2/fortunes-de.jsonl", Samples.Corpus("fortunes-de.jsonl"));
        await host.UploadAsync("raw", "landing/b2/edge-cases.jsonl", Samples.Corpus("edge-cases.jsonl"));
        var landed = new CorpusLanded { RunId = Guid.NewGuid(), Container = "raw", Prefix = "landing/b2/", Files = [] };

        await host.Harness.Bus.Publish(landed);

        Assert.True(await host.Harness.Published.Any<CorpusIngested>(m => m.Context.Message.RunId == landed.RunId));
        Assert.Equal(160 + 25, host.Harness.Published.Select<CorpusIngested>().Single().Context.Message.DocumentsRead);
    }

    [Fact]
    public async Task The_watcher_announces_each_ready_batch_once_and_waits_for_the_others()
    {
        // Quiet for an hour: only a batch with a _READY file is ready during the test.
        await using var host = await IngestHarness.StartAsync(new Dictionary<string, string?> { ["Ingest:LandingQuietSeconds"] = "3600" });
        await host.UploadAsync("raw", "landing/ready/brown-ca06.txt", Samples.Corpus("txt/brown-ca06.txt"));
        await host.UploadAsync("raw", "landing/ready/LICENSES.md", Samples.Corpus("LICENSES.md"));
        await host.Store.WriteAsync("raw", $"landing/ready/{CorpusLandingLayout.ReadyMarker}", new MemoryStream());
        await host.UploadAsync("raw", "landing/uploading/fortunes-de.jsonl", Samples.Corpus("fortunes-de.jsonl"));
        await host.UploadAsync("raw", "landing/loose.jsonl", Samples.Corpus("edge-cases.jsonl"));
        var intake = host.Get<CorpusLandingIntake>();

        var first = await intake.ScanOnceAsync(CancellationToken.None);

        var landed = Assert.Single(first);
        Assert.Equal("landing/ready/", landed.Prefix);
        Assert.Equal(["landing/ready/brown-ca06.txt"], landed.Files.Select(f => f.Name));
        Assert.Equal(CorpusLandingLayout.RunIdOf("raw", "landing/ready/"), landed.RunId);
        Assert.True(await host.Harness.Published.Any<CorpusIngested>(m => m.Context.Message.RunId == landed.RunId));
        Assert.Equal(1, host.Harness.Published.Select<CorpusIngested>().Single().Context.Message.DocumentsRead);
        Assert.Empty(await intake.ScanOnceAsync(CancellationToken.None));
        Assert.Single(host.Harness.Published.Select<CorpusLanded>());
    }

    [Fact]
    public async Task A_batch_that_has_gone_quiet_lands_without_a_ready_file()
    {
        await using var host = await IngestHarness.StartAsync(new Dictionary<string, string?> { ["Ingest:LandingQuietSeconds"] = "0" });
        await host.UploadAsync("raw", "landing/quiet/fortunes-de.jsonl", Samples.Corpus("fortunes-de.jsonl"));

        var landed = Assert.Single(await host.Get<CorpusLandingIntake>().ScanOnceAsync(CancellationToken.None));

        Assert.Equal("landing/quiet/", landed.Prefix);
        Assert.True(await host.Harness.Published.Any<CorpusIngested>(m => m.Context.Message.RunId == landed.RunId));
    }

    [Fact]
    public async Task A_batch_without_a_supported_file_is_marked_and_not_announced()
    {
        await using var host = await IngestHarness.StartAsync();
        await host.UploadAsync("raw", "landing/notes/LICENSES.md", Samples.Corpus("LICENSES.md"));
        await host.Store.WriteAsync("raw", $"landing/notes/{CorpusLandingLayout.ReadyMarker}", new MemoryStream());
        var intake = host.Get<CorpusLandingIntake>();

        Assert.Empty(await intake.ScanOnceAsync(CancellationToken.None));

        Assert.NotNull(await host.Store.GetAsync("corpus", CorpusLandingLayout.LandedMarker("raw", "landing/notes/")));
        Assert.Empty(await intake.ScanOnceAsync(CancellationToken.None));
        await host.Harness.InactivityTask;
        Assert.False(host.Harness.Published.Select<CorpusLanded>().Any());
    }

    [Theory]
    [InlineData("landing/b1/a.jsonl", "landing/", "b1")]
    [InlineData("landing/b1/sub/a.jsonl", "landing/", "b1")]
    [InlineData("landing/a.jsonl", "landing/", null)]
    [InlineData("other/b1/a.jsonl", "landing/", null)]
    [InlineData("b1/a.jsonl", "", "b1")]
    public void A_file_belongs_to_the_batch_folder_right_below_the_prefix(string name, string folder, string? batch) =>
        Assert.Equal(batch, CorpusLandingLayout.BatchOf(name, folder));
}
