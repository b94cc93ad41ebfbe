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

    /// <summary>
    /// A poll lists the batch folders and the markers, and files only of batches not landed yet: the
    /// landing area keeps every batch ever uploaded, and listing all their files on every poll grew
    /// with its history.
    /// </summary>
    [Fact]
    public async Task A_scan_lists_the_files_of_unlanded_batches_only()
    {
        await using var host = await IngestHarness.StartAsync(new Dictionary<string, string?> { ["Ingest:LandingQuietSeconds"] = "3600" });
        await host.UploadAsync("raw", "landing/old/brown-ca06.txt", Samples.Corpus("txt/brown-ca06.txt"));
        await host.UploadAsync("raw", "landing/old/deeper/more.txt", Samples.Corpus("txt/brown-ca06.txt"));
        await host.Store.WriteAsync("raw", $"landing/old/{CorpusLandingLayout.ReadyMarker}", new MemoryStream());
        var listing = new ListingRecorder(host.Store);
        var intake = new CorpusLandingIntake(listing, host.Get<MassTransit.IBus>(), host.Get<Microsoft.Extensions.Options.IOptions<IngestOptions>>(),
            TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<CorpusLandingIntake>.Instance);

        var landed = Assert.Single(await intake.ScanOnceAsync(CancellationToken.None));
        Assert.Equal(["landing/old/brown-ca06.txt", "landing/old/deeper/more.txt"], landed.Files.Select(f => f.Name));
        await host.UploadAsync("raw", "landing/new/fortunes-de.jsonl", Samples.Corpus("fortunes-de.jsonl"));
        listing.Prefixes.Clear();

        Assert.Empty(await intake.ScanOnceAsync(CancellationToken.None));

        Assert.Contains("landing/new/", listing.Prefixes);
        Assert.DoesNotContain(listing.Prefixes, prefix => prefix.StartsWith("landing/old", StringComparison.Ordinal) || prefix == "landing/");
    }

    /// <summary>The store, recording the prefix of every blob listing.</summary>
    private sealed class ListingRecorder(IBlobStore inner) : IBlobStore
    {
        public List<string> Prefixes { get; } = [];

        public IAsyncEnumerable<BlobItem> ListAsync(string container, string prefix = "", CancellationToken cancellationToken = default)
        {
            Prefixes.Add(prefix);
            return inner.ListAsync(container, prefix, cancellationToken);
        }

        public Task<BlobReference> WriteAsync(string container, string name, Stream content, BlobWriteMode mode = BlobWriteMode.Overwrite, CancellationToken cancellationToken = default) =>
            inner.WriteAsync(container, name, content, mode, cancellationToken);
        public Task<Stream> OpenReadAsync(string container, string name, CancellationToken cancellationToken = default) => inner.OpenReadAsync(container, name, cancellationToken);
        public Task<BlobItem?> GetAsync(string container, string name, CancellationToken cancellationToken = default) => inner.GetAsync(container, name, cancellationToken);
        public IAsyncEnumerable<string> ListFoldersAsync(string container, string prefix = "", CancellationToken cancellationToken = default) => inner.ListFoldersAsync(container, prefix, cancellationToken);
        public Task<bool> DeleteAsync(string container, string name, CancellationToken cancellationToken = default) => inner.DeleteAsync(container, name, cancellationToken);
        public Task CheckAvailableAsync(CancellationToken cancellationToken = default) => inner.CheckAvailableAsync(cancellationToken);
    }
}
