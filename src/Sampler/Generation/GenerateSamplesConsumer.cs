using System.Text;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pipeline.BlobStorage;
using Pipeline.Contracts.Messages;
using Pipeline.Model;
using Pipeline.Model.Generation;
using Pipeline.Model.Tokenization;
using Pipeline.ServiceDefaults.Messaging;

namespace Pipeline.Sampler.Generation;

/// <summary>
/// Generates K samples per prompt from a policy checkpoint with the batched KV-cache generator. The
/// output blob name is a function of the message, and an existing output is reused, so a
/// redelivered message publishes the same result without generating again.
/// </summary>
public sealed class GenerateSamplesConsumer(IBlobStore store, IOptions<SamplerOptions> options, ILogger<GenerateSamplesConsumer> logger)
    : IConsumer<GenerateSamples>
{
    public async Task Consume(ConsumeContext<GenerateSamples> context)
    {
        var request = context.Message;
        var settings = options.Value;
        var outputName = $"{request.RunId:N}/{request.Prompts.Sha256[..16]}-k{request.SamplesPerPrompt}-s{request.Seed}.jsonl";
        var existing = await store.GetAsync(settings.OutputContainer, outputName, context.CancellationToken);
        var prompts = await ReadPromptsAsync(request, context.CancellationToken);
        if (existing is null)
        {
            var lines = await GenerateAsync(request, prompts, settings, context.CancellationToken);
            await store.WriteBytesAsync(settings.OutputContainer, outputName, Encoding.UTF8.GetBytes(lines), cancellationToken: context.CancellationToken);
        }
        var output = await store.GetAsync(settings.OutputContainer, outputName, context.CancellationToken)
            ?? throw new InvalidOperationException($"{settings.OutputContainer}/{outputName} vanished after writing");
        await context.Publish(new SamplesGenerated
        {
            RunId = request.RunId,
            IterationId = request.IterationId,
            Samples = output.ToReference(),
            Prompts = prompts.Count,
            SamplesPerPrompt = request.SamplesPerPrompt,
        });
    }

    private async Task<List<PromptRecord>> ReadPromptsAsync(GenerateSamples request, CancellationToken cancellationToken)
    {
        var prompts = new List<PromptRecord>();
        await using var stream = await store.OpenReadAsync(request.Prompts, cancellationToken);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        long line = 0;
        while (await reader.ReadLineAsync(cancellationToken) is { } text)
        {
            line++;
            if (string.IsNullOrWhiteSpace(text)) continue;
            try
            {
                prompts.Add(PromptRecord.Parse(text, line));
            }
            catch (Exception ex) when (ex is FormatException or JsonException)
            {
                logger.LogWarning("Prompt file {Prompts} {Problem}; line skipped", request.Prompts.ToString(), ex.Message);
            }
        }
        if (prompts.Count == 0) throw new UnprocessableMessageException($"Prompt file {request.Prompts} holds no usable prompt.");
        return prompts;
    }

    private async Task<string> GenerateAsync(GenerateSamples request, List<PromptRecord> prompts, SamplerOptions settings, CancellationToken cancellationToken)
    {
        var manifestHash = request.Policy.Manifest?.Sha256 ?? request.Policy.Prefix.Replace('/', '_');
        var local = await store.DownloadAsync(request.Policy, Path.Combine(settings.CacheDirectory, manifestHash[..Math.Min(16, manifestHash.Length)]), cancellationToken);
        using var model = ModelFolder.LoadCausalLM(local, TorchSharp.torch.device(settings.Device));
        var tokenizer = ModelFolder.LoadTokenizer(local);
        var generator = new TextGenerator(model);
        var output = new StringBuilder();
        var promptsPerBatch = Math.Max(1, settings.MaxBatchSequences / request.SamplesPerPrompt);
        for (var start = 0; start < prompts.Count; start += promptsPerBatch)
        {
            var batch = prompts.Skip(start).Take(promptsPerBatch).ToList();
            var ids = batch.Select(p => Truncate(ChatTemplate.Prompt(tokenizer, p.Prompt, p.System).Ids, settings.MaxPromptTokens)).ToList();
            var sequences = ids.SelectMany(p => Enumerable.Repeat(p, request.SamplesPerPrompt)).ToList();
            var sampling = new SamplingOptions { MaxNewTokens = request.MaxNewTokens, Temperature = request.Temperature, TopP = 0.9, Seed = request.Seed + start };
            var generated = generator.Generate(sequences, sampling, cancellationToken);
            for (var i = 0; i < batch.Count; i++)
            {
                var candidates = generated.Skip(i * request.SamplesPerPrompt).Take(request.SamplesPerPrompt)
                    .Select(g => new SampleCandidate(tokenizer.Decode(g.OutputIds.Where(id => id != tokenizer.EosId)), g.OutputIds.Count, g.LogProbs.Count == 0 ? 0 : g.LogProbs.Average(), g.Stopped))
                    .ToList();
                output.Append(JsonSerializer.Serialize(new SampleRecord(batch[i].Id, batch[i].Prompt, candidates))).Append('\n');
            }
            logger.LogInformation("Generated {Done}/{Total} prompts x {SamplesPerPrompt} samples", Math.Min(start + promptsPerBatch, prompts.Count), prompts.Count, request.SamplesPerPrompt);
        }
        return output.ToString();
    }

    private static IReadOnlyList<int> Truncate(IReadOnlyList<int> ids, int max) => ids.Count <= max ? ids : ids.Skip(ids.Count - max).ToList();
}
