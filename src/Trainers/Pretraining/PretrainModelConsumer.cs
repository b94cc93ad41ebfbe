using System.Security.Cryptography;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pipeline.BlobStorage;
using Pipeline.Contracts.Messages;
using Pipeline.Contracts.Storage;
using Pipeline.Model;
using Pipeline.Model.Llama;
using Pipeline.Model.Tokenization;
using Pipeline.Model.Training;
using Pipeline.ServiceDefaults.Messaging;

namespace Pipeline.Trainers.Pretraining;

/// <summary>
/// Pretrains a Llama model on kept corpus shards, uploads the HF model folder and publishes
/// <see cref="PolicyCheckpointPublished"/>. Checkpoints live in a work folder keyed by the run, so a
/// redelivered message (crash, restart) resumes from the last checkpoint instead of starting over.
/// </summary>
public sealed class PretrainModelConsumer(IBlobStore store, IOptions<PretrainingOptions> options, ILogger<PretrainModelConsumer> logger)
    : IConsumer<PretrainModel>
{
    public async Task Consume(ConsumeContext<PretrainModel> context)
    {
        var request = context.Message;
        var settings = options.Value;
        var ct = context.CancellationToken;
        if (request.Shards.Count == 0) throw new UnprocessableMessageException("PretrainModel has no corpus shards.");
        var work = Path.GetFullPath(Path.Combine(settings.WorkDirectory, request.RunId.ToString("N")));
        Directory.CreateDirectory(work);

        var texts = new List<string>();
        foreach (var shard in request.Shards)
        {
            var local = await DownloadVerifiedAsync(shard, Path.Combine(work, "shards"), ct);
            texts.AddRange(CorpusDocuments.ReadFile(local));
        }
        var tokenizer = TokenizerLoader.Load(settings.Tokenizer);
        var config = request.ModelConfig is null
            ? LlamaPresets.Tiny(tokenizer, Math.Max(256, settings.SequenceLength))
            : LlamaConfig.Load(await DownloadVerifiedAsync(request.ModelConfig, Path.Combine(work, "config"), ct));
        if (config.VocabSize < tokenizer.VocabSize)
            throw new UnprocessableMessageException($"Model config vocab_size {config.VocabSize} is smaller than tokenizer {settings.Tokenizer}'s {tokenizer.VocabSize}.");

        TorchSetup.SetThreads(settings.Threads);
        var trainOptions = new PretrainOptions
        {
            MaxSteps = request.MaxSteps ?? settings.MaxSteps,
            SequenceLength = settings.SequenceLength,
            BatchSize = settings.BatchSize,
            GradientAccumulationSteps = settings.GradientAccumulationSteps,
            PeakLearningRate = settings.PeakLearningRate,
            WarmupSteps = settings.WarmupSteps,
            CheckpointEvery = settings.CheckpointEvery,
            EvalEvery = settings.EvalEvery,
            CheckpointDirectory = Path.Combine(work, "checkpoints"),
            IsolateDocuments = settings.IsolateDocuments,
            Seed = request.Seed,
            LossCurvePath = Path.Combine(work, "report", "loss.png"),
            ComputeDtype = settings.ComputeDtype,
        };
        logger.LogInformation("Pretraining run {RunId}: {Documents} documents, {Parameters} parameters, {Steps} steps",
            request.RunId, texts.Count, config.ParameterCount(), trainOptions.MaxSteps);
        using var model = LlamaForCausalLM.Create(config, request.Seed, TorchSetup.ParseDevice(settings.Device));
        PretrainResult result;
        try
        {
            result = await Task.Run(() => new PretrainTrainer(model, tokenizer, trainOptions, logger).Train(texts, null, ct), ct);
        }
        catch (ArgumentException ex)
        {
            throw new UnprocessableMessageException($"Pretraining run {request.RunId} cannot start: {ex.Message}", ex);
        }

        var folder = Path.Combine(work, "model");
        ModelFolder.Save(model, folder, tokenizer);
        var uploaded = await store.UploadAsync(folder, settings.ModelContainer, $"{request.RunId:N}/pretrain", ct);
        var curve = await WriteCurveAsync(trainOptions.LossCurvePath, request.RunId, settings.ModelContainer, ct);
        await context.Publish(new PolicyCheckpointPublished
        {
            RunId = request.RunId,
            IterationId = request.IterationId,
            Stage = PolicyStage.Pretrain,
            Model = uploaded,
            Steps = result.Steps,
            FinalLoss = result.FinalLoss,
            TrainingReport = curve,
        }, ct);
        logger.LogInformation("Pretraining run {RunId} published {Model}: loss {FirstLoss:F3} -> {FinalLoss:F3}",
            request.RunId, uploaded.ToString(), result.TrainLosses[0].Loss, result.FinalLoss);
    }

    private async Task<string> DownloadVerifiedAsync(BlobReference blob, string directory, CancellationToken ct)
    {
        Directory.CreateDirectory(directory);
        var local = Path.Combine(directory, Path.GetFileName(blob.Name));
        await using (var source = await store.OpenReadAsync(blob, ct))
        await using (var file = File.Create(local))
            await source.CopyToAsync(file, ct);
        await using var check = File.OpenRead(local);
        var hash = Convert.ToHexStringLower(await SHA256.HashDataAsync(check, ct));
        if (!string.IsNullOrEmpty(blob.Sha256) && hash != blob.Sha256)
            throw new InvalidDataException($"{blob} has SHA-256 {hash}, but the message says {blob.Sha256}");
        return local;
    }

    private async Task<BlobReference?> WriteCurveAsync(string? path, Guid runId, string container, CancellationToken ct)
    {
        if (path is null || !File.Exists(path)) return null;
        await using var file = File.OpenRead(path);
        return await store.WriteAsync(container, $"{runId:N}/pretrain-report/loss.png", file, cancellationToken: ct);
    }
}
