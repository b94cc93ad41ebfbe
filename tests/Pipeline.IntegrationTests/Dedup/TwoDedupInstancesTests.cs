using System.IO.Compression;
using System.Text;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Pipeline.BlobStorage;
using Pipeline.Contracts.Messages;
using Pipeline.Contracts.Storage;
using Pipeline.IntegrationTests.Infrastructure;
using Pipeline.IntegrationTests.Messaging;
using Pipeline.ServiceDefaults.Messaging;

namespace Pipeline.IntegrationTests.Dedup;

public sealed class CorpusDeduplicatedProbe(Received<CorpusDeduplicated> received) : IConsumer<CorpusDeduplicated>
{
    public Task Consume(ConsumeContext<CorpusDeduplicated> context)
    {
        received.Add(context.Message);
        return Task.CompletedTask;
    }
}

/// <summary>
/// Real Dedup service processes over the real RabbitMQ, sharing one blob folder: two competing
/// instances must produce byte-for-byte the same removed list and the same kept documents as one.
/// </summary>
[Collection(HostsCollection.Name)]
public sealed class TwoDedupInstancesTests(RabbitMqFixture rabbit)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Two_Dedup_instances_over_RabbitMq_produce_exactly_the_same_result_as_one()
    {
        using var data = new TempDirectory();
        var blobs = Path.Combine(data.Path, "blobs");
        var store = new LocalFolderBlobStore(blobs);
        var shards = new List<BlobReference>();
        for (var s = 0; s < 6; s++) shards.Add(await WriteShardAsync(store, $"in/shard-{s}.jsonl.gz", Documents(s)));

        var one = await RunAsync(data.Path, blobs, instances: 1, "one", shards);
        var two = await RunAsync(data.Path, blobs, instances: 2, "two", shards);

        Assert.Equal((one.DocumentsIn, one.DocumentsOut, one.ExactDuplicates, one.NearDuplicates), (two.DocumentsIn, two.DocumentsOut, two.ExactDuplicates, two.NearDuplicates));
        Assert.True(one.ExactDuplicates > 0 && one.NearDuplicates > 0, $"the corpus should hold both kinds: {one.ExactDuplicates} exact, {one.NearDuplicates} near");
        Assert.Equal(await store.ReadBytesAsync(one.RemovedList!.Container, one.RemovedList.Name), await store.ReadBytesAsync(two.RemovedList!.Container, two.RemovedList.Name));
        Assert.Equal(await KeptLinesAsync(store, one), await KeptLinesAsync(store, two));
    }

    private async Task<CorpusDeduplicated> RunAsync(string workingDirectory, string blobs, int instances, string index, List<BlobReference> shards)
    {
        var bus = rabbit.BusSettings().ToDictionary(p => p.Key.Replace(":", "__"), p => p.Value!);
        var processes = Enumerable.Range(0, instances).Select(_ => ServiceProcess.Start("Dedup", new Dictionary<string, string>(bus)
        {
            ["Service__HttpPort"] = FreePort.Next().ToString(),
            ["Blob__Provider"] = "Local",
            ["Blob__LocalRoot"] = blobs,
            ["Dedup__IndexName"] = index,
            ["Dedup__ConcurrentMessages"] = "2",
            ["Logging__Pipeline__FilePath"] = "",
        }, workingDirectory)).ToList();
        var received = new Received<CorpusDeduplicated>();
        using var client = TestHosts.Build("dedup-client", rabbit.BusSettings().Append(new("Blob:LocalRoot", blobs)), services => services
            .AddSingleton(received)
            .AddPipelineConsumers($"probe-{index}", b => b.AddConsumer<CorpusDeduplicatedProbe>()));
        await client.StartAsync();
        try
        {
            // Give the service processes time to declare their queues before the command goes out.
            await Task.Delay(TimeSpan.FromSeconds(8));
            var runId = Guid.NewGuid();
            await client.Services.GetRequiredService<IBus>().Publish(new DeduplicateCorpus { RunId = runId, Shards = shards });
            var done = await received.FirstAsync(Timeout);
            Assert.Equal(runId, done.RunId);
            // Competing consumers: with two instances, each must have done some of the shard work.
            foreach (var process in processes)
                Assert.True(process.Output.Contains(" signatures", StringComparison.Ordinal) || process.Output.Contains(" kept ", StringComparison.Ordinal), "an instance did no shard work:\n" + process.Output);
            return done;
        }
        catch (TimeoutException)
        {
            Assert.Fail("no CorpusDeduplicated; " + string.Join("\n", processes.Select(p => p.Output)));
            throw;
        }
        finally
        {
            await client.StopAsync();
            foreach (var process in processes) process.Dispose();
        }
    }

    /// <summary>Synthetic prose with exact copies and light edits across shards, seeded.</summary>
    private static IEnumerable<(string Id, string Text)> Documents(int shard)
    {
        var random = new Random(shard);
        for (var d = 0; d < 40; d++)
        {
            var source = new Random(1000 + (shard * 40 + d) % 150);
            var words = Enumerable.Range(0, 120).Select(_ => $"w{source.Next(3000)}").ToArray();
            if (d % 7 == 3) words[random.Next(words.Length)] = "edited";
            yield return ($"s{shard}-d{d}", string.Join(' ', words));
        }
    }

    private static async Task<BlobReference> WriteShardAsync(IBlobStore store, string name, IEnumerable<(string Id, string Text)> documents)
    {
        using var buffer = new MemoryStream();
        await using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            foreach (var (id, text) in documents) await gzip.WriteAsync(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { id, text, meta = new { n = id.Length } }) + "\n"));
        }
        buffer.Position = 0;
        return await store.WriteAsync("input", name, buffer);
    }

    private static async Task<List<string>> KeptLinesAsync(IBlobStore store, CorpusDeduplicated done)
    {
        var lines = new List<string>();
        foreach (var kept in done.KeptShards)
        {
            await using var stream = await store.OpenReadAsync(kept);
            await using var gzip = new GZipStream(stream, CompressionMode.Decompress);
            using var reader = new StreamReader(gzip);
            while (await reader.ReadLineAsync() is { } line) lines.Add(line);
        }
        return lines;
    }
}
