using System.Text;
using System.Text.Json;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Pipeline.BlobStorage;
using Pipeline.Contracts.Messages;
using Pipeline.Contracts.Storage;
using Pipeline.Model;
using Pipeline.Model.Llama;
using Pipeline.Model.Tokenization;
using Pipeline.Sampler;
using Pipeline.Sampler.Generation;

namespace Pipeline.Sampler.Tests;

/// <summary>The sampler consumer end to end: a real tiny Llama checkpoint in a real local blob store.</summary>
public sealed class GenerateSamplesConsumerTests : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("sampler-test-").FullName;
    private LocalFolderBlobStore _store = null!;
    private ServiceProvider _provider = null!;
    private ITestHarness _harness = null!;
    private BlobFolderReference _policy = null!;

    public async Task InitializeAsync()
    {
        _store = new LocalFolderBlobStore(Path.Combine(_root, "blobs"));
        var config = new LlamaConfig
        {
            HiddenSize = 32, IntermediateSize = 64, NumAttentionHeads = 4, NumKeyValueHeads = 2, NumHiddenLayers = 1,
            VocabSize = 50257, MaxPositionEmbeddings = 256, BosTokenId = 50256, EosTokenId = 50256,
        };
        var folder = Path.Combine(_root, "model");
        using (var model = LlamaForCausalLM.Create(config, seed: 7)) ModelFolder.Save(model, folder, new Gpt2Tokenizer());
        _policy = await _store.UploadAsync(folder, "models", "test/policy");

        _provider = new ServiceCollection()
            .AddSingleton<IBlobStore>(_store)
            .AddSingleton(Options.Create(new SamplerOptions { CacheDirectory = Path.Combine(_root, "cache"), MaxBatchSequences = 4 }))
            .AddSingleton(typeof(Microsoft.Extensions.Logging.ILogger<>), typeof(NullLogger<>))
            .AddMassTransitTestHarness(bus => bus.AddConsumer<GenerateSamplesConsumer>())
            .BuildServiceProvider(true);
        _harness = _provider.GetRequiredService<ITestHarness>();
        await _harness.Start();
    }

    public async Task DisposeAsync()
    {
        await _harness.Stop();
        await _provider.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task Generates_k_samples_per_prompt_and_a_redelivery_reuses_the_output()
    {
        var prompts = await _store.WriteTextAsync("prompts", "p.jsonl",
            """{"id":"a","prompt":"What is Debian?"}""" + "\n" + "not json\n" +
            """{"id":"b","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Name a colour."}]}""" + "\n" +
            """{"id":"c","prompt":"Say hi"}""" + "\n");
        var request = new GenerateSamples { RunId = Guid.NewGuid(), Policy = _policy, Prompts = prompts, SamplesPerPrompt = 3, MaxNewTokens = 5, Seed = 11 };

        await _harness.Bus.Publish(request);
        Assert.True(await _harness.Published.Any<SamplesGenerated>(x => x.Context.Message.RunId == request.RunId));
        var generated = _harness.Published.Select<SamplesGenerated>().First().Context.Message;

        Assert.Equal(3, generated.Prompts);
        var lines = Encoding.UTF8.GetString(await _store.ReadBytesAsync(generated.Samples.Container, generated.Samples.Name)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        var records = lines.Select(l => JsonSerializer.Deserialize<SampleRecord>(l)!).ToList();
        Assert.Equal(["a", "b", "c"], records.Select(r => r.Id).ToArray());
        Assert.All(records, r =>
        {
            Assert.Equal(3, r.Samples.Count);
            Assert.All(r.Samples, s => Assert.InRange(s.Tokens, 1, 5));
            Assert.All(r.Samples, s => Assert.True(s.MeanLogProb <= 0));
        });
        var before = await _store.GetAsync(generated.Samples.Container, generated.Samples.Name);

        await _harness.Bus.Publish(request);
        await _harness.InactivityTask;
        Assert.Equal(2, _harness.Consumed.Select<GenerateSamples>().Count());
        var after = await _store.GetAsync(generated.Samples.Container, generated.Samples.Name);
        Assert.Equal(before!.Sha256, after!.Sha256);
        Assert.Equal(2, _harness.Published.Select<SamplesGenerated>().Count());
    }

    [Fact]
    public async Task A_prompt_file_without_a_usable_prompt_faults_without_retrying_forever()
    {
        var prompts = await _store.WriteTextAsync("prompts", "bad.jsonl", "{\"nothing\":1}\n[]\n");
        await _harness.Bus.Publish(new GenerateSamples { RunId = Guid.NewGuid(), Policy = _policy, Prompts = prompts });

        Assert.True(await _harness.Published.Any<Fault<GenerateSamples>>());
        var fault = _harness.Published.Select<Fault<GenerateSamples>>().First().Context.Message;
        Assert.Contains("no usable prompt", fault.Exceptions[0].Message);
    }
}
