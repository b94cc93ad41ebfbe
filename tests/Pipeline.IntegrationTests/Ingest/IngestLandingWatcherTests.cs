using Azure.Storage.Blobs;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Pipeline.BlobStorage;
using Pipeline.Contracts.Messages;
using Pipeline.IntegrationTests.Infrastructure;
using Pipeline.IntegrationTests.Messaging;
using Pipeline.ServiceDefaults.Messaging;

namespace Pipeline.IntegrationTests.Ingest;

/// <summary>A real Ingest service process, on real RabbitMQ and Azurite, ingests a batch that lands in its landing area, once.</summary>
[Collection(HostsCollection.Name)]
public sealed class IngestLandingWatcherTests(RabbitMqFixture rabbit)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task A_batch_uploaded_to_the_landing_area_is_ingested_by_itself_once()
    {
        var connection = TestEnvironment.Required(TestEnvironment.AzuriteConnectionString);
        var store = new AzureBlobStore(new BlobServiceClient(connection));
        // A landing prefix of this test's own, so batches other runs left in Azurite are not this watcher's.
        var landing = $"landing-{Guid.NewGuid():N}/";
        var corpus = Path.Combine(TestEnvironment.RepositoryRoot, "samples", "corpus");
        foreach (var file in new[] { "txt/brown-ca06.txt", "fortunes-de.jsonl" })
        {
            await using var stream = File.OpenRead(Path.Combine(corpus, file));
            await store.WriteAsync("raw", $"{landing}b1/{Path.GetFileName(file)}", stream);
        }
        await store.WriteAsync("raw", $"{landing}b1/_READY", new MemoryStream());

        using var data = new TempDirectory();
        var port = FreePort.Next();
        var environment = rabbit.BusSettings().ToDictionary(p => p.Key.Replace(":", "__"), p => p.Value!);
        environment["Service__HttpPort"] = port.ToString();
        environment["Blob__Provider"] = "Azure";
        environment["Blob__ConnectionString"] = connection;
        environment["Logging__Pipeline__FilePath"] = "";
        environment["Ingest__WatchLanding"] = "true";
        environment["Ingest__LandingPrefix"] = landing;
        environment["Ingest__LandingPollSeconds"] = "1";
        environment["Ingest__LandingQuietSeconds"] = "3600";

        var received = new Received<CorpusIngested>();
        using var client = TestHosts.Build("ingest-landing-client", rabbit.BusSettings(), services => services
            .AddSingleton(received)
            .AddPipelineConsumers("ingest-landing-client", b => b.AddConsumer<IngestCompetingConsumersTests.CorpusIngestedProbe>()));
        await client.StartAsync();
        using var ingest = ServiceProcess.Start("Ingest", environment, data.Path);
        try
        {
            await ingest.WaitReadyAsync(port);

            var ingested = await received.FirstAsync(Timeout);

            Assert.Equal(1 + 160, ingested.DocumentsRead);
            Assert.Equal(2, ingested.KeptShards.Count);
            Assert.NotNull(await store.GetAsync("corpus", $"landed/raw/{landing}b1.json"));
            // Polled every second: a batch that landed must not land again.
            await Task.Delay(TimeSpan.FromSeconds(4));
            Assert.Equal(1, received.Count);
        }
        finally
        {
            await client.StopAsync();
        }
    }
}
