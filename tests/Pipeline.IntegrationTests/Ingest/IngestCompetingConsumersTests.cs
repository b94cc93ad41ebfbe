using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Pipeline.BlobStorage;
using Pipeline.Contracts.Messages;
using Pipeline.IntegrationTests.Infrastructure;
using Pipeline.IntegrationTests.Messaging;
using Pipeline.ServiceDefaults.Messaging;

namespace Pipeline.IntegrationTests.Ingest;

/// <summary>Two real Ingest service processes on one RabbitMQ vhost and one blob folder share the shards of a run.</summary>
[Collection(HostsCollection.Name)]
public sealed class IngestCompetingConsumersTests(RabbitMqFixture rabbit)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    public sealed class CorpusIngestedProbe(Received<CorpusIngested> received) : IConsumer<CorpusIngested>
    {
        public Task Consume(ConsumeContext<CorpusIngested> context)
        {
            received.Add(context.Message);
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task Two_ingest_instances_split_the_shards_and_the_run_completes_once()
    {
        using var data = new TempDirectory();
        var blobs = Path.Combine(data.Path, "blobs");
        var store = new LocalFolderBlobStore(blobs);
        var corpus = Path.Combine(TestEnvironment.RepositoryRoot, "samples", "corpus");
        var sources = new[] { "brown.jsonl.gz", "spam-assassin.jsonl.gz", "fortunes-de.jsonl", "edge-cases.jsonl", "txt/brown-ca06.txt", "txt/brown-ca11.txt" };
        foreach (var (file, index) in sources.Select((f, i) => (f, i)))
        {
            await using var stream = File.OpenRead(Path.Combine(corpus, file));
            await store.WriteAsync("raw", $"competing/{index}-{Path.GetFileName(file)}", stream);
        }

        var bus = rabbit.BusSettings().ToDictionary(p => p.Key.Replace(":", "__"), p => p.Value!);
        var instances = new List<(ServiceProcess Process, int Port)>();
        try
        {
            for (var i = 0; i < 2; i++)
            {
                var port = FreePort.Next();
                var environment = new Dictionary<string, string>(bus)
                {
                    ["Service__HttpPort"] = port.ToString(),
                    ["Blob__Provider"] = "Local",
                    ["Blob__LocalRoot"] = blobs,
                    ["Logging__Pipeline__FilePath"] = "",
                    // One shard at a time and no prefetching, so RabbitMQ hands shards to both instances.
                    ["Bus__PrefetchCount"] = "1",
                    ["Ingest__ShardConcurrency"] = "1",
                };
                instances.Add((ServiceProcess.Start("Ingest", environment, data.Path), port));
            }
            foreach (var (process, port) in instances) await process.WaitReadyAsync(port);

            var received = new Received<CorpusIngested>();
            using var client = TestHosts.Build("ingest-test-client", rabbit.BusSettings(), services => services
                .AddSingleton(received)
                .AddPipelineConsumers("ingest-test-client", b => b.AddConsumer<CorpusIngestedProbe>()));
            await client.StartAsync();
            try
            {
                var runId = Guid.NewGuid();
                await client.Services.GetRequiredService<IBus>().Publish(new IngestCorpus { RunId = runId, SourceContainer = "raw", SourcePrefix = "competing/" });
                var ingested = await received.FirstAsync(Timeout);
                Assert.Equal(runId, ingested.RunId);
                Assert.Equal(sources.Length, ingested.KeptShards.Count);

                var workers = new List<string>();
                long read = 0;
                await foreach (var blob in store.ListAsync("corpus", $"runs/{runId:N}/results/"))
                {
                    using var result = JsonDocument.Parse(await store.ReadBytesAsync("corpus", blob.Name));
                    workers.Add(result.RootElement.GetProperty("worker").GetString()!);
                    read += result.RootElement.GetProperty("stats").GetProperty("read").GetInt64();
                }
                Assert.Equal(sources.Length, workers.Count);
                Assert.Equal(ingested.DocumentsRead, read);
                Assert.True(workers.Distinct().Count() == 2, $"shards by worker: {string.Join(", ", workers)}\n{instances[0].Process.Output}\n{instances[1].Process.Output}");
                await Task.Delay(TimeSpan.FromSeconds(3));
                Assert.Equal(1, received.Count);
            }
            finally
            {
                await client.StopAsync();
            }
        }
        finally
        {
            foreach (var (process, _) in instances) process.Dispose();
        }
    }
}
