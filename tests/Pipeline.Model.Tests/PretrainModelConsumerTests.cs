using System.Text;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.BlobStorage;
using Pipeline.Contracts.Messages;
using Pipeline.Trainers.Pretraining;

namespace Pipeline.Model.Tests;

[Collection(TorchCollection.Name)]
public sealed class PretrainModelConsumerTests
{
    [Fact]
    public async Task Pretrain_message_trains_uploads_an_hf_model_folder_and_publishes_the_checkpoint()
    {
        var root = Tiny.TempDir();
        var store = new LocalFolderBlobStore(Path.Combine(root, "blobs"));
        var settings = new Dictionary<string, string?>
        {
            ["Pretraining:WorkDirectory"] = Path.Combine(root, "work"),
            ["Pretraining:SequenceLength"] = "16",
            ["Pretraining:BatchSize"] = "2",
            ["Pretraining:WarmupSteps"] = "1",
            ["Pretraining:EvalEvery"] = "2",
        };
        await using var provider = new ServiceCollection()
            .AddLogging()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .AddSingleton<IBlobStore>(store)
            .AddPretrainingOptions()
            .AddMassTransitTestHarness(bus => bus.AddPretrainingConsumer())
            .BuildServiceProvider(validateScopes: true);
        var harness = provider.GetRequiredService<ITestHarness>();
        harness.TestTimeout = TimeSpan.FromMinutes(2);
        await harness.Start();
        try
        {
            var lines = Enumerable.Range(0, 30).Select(i => $"{{\"id\":\"d{i}\",\"text\":\"The cat number {i} sat on the mat and looked at the dog.\",\"meta\":{{}}}}");
            var shard = await store.WriteBytesAsync("corpus", "kept/shard-0001.jsonl", Encoding.UTF8.GetBytes(string.Join("\n", lines)));
            var runId = Guid.NewGuid();
            await harness.Bus.Publish(new PretrainModel { RunId = runId, Shards = [shard], MaxSteps = 3, Seed = 7 });

            Assert.True(await harness.Published.Any<PolicyCheckpointPublished>());
            var published = harness.Published.Select<PolicyCheckpointPublished>().First().Context.Message;
            Assert.Equal(runId, published.RunId);
            Assert.Equal(PolicyStage.Pretrain, published.Stage);
            Assert.Equal(3, published.Steps);
            Assert.True(double.IsFinite(published.FinalLoss!.Value));
            Assert.NotNull(published.TrainingReport);

            var local = await store.DownloadAsync(published.Model, Path.Combine(root, "downloaded"));
            using var model = ModelFolder.LoadCausalLM(local);
            Assert.Equal(50257, model.Config.VocabSize);
            Assert.Equal("hf-byte-bpe", ModelFolder.LoadTokenizer(local).Kind);
        }
        finally
        {
            await harness.Stop();
        }
    }
}
