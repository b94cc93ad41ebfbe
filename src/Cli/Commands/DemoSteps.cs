using Pipeline.BlobStorage;
using Pipeline.Cli.Hosting;
using Pipeline.Contracts.Messages;
using Pipeline.Contracts.Storage;

namespace Pipeline.Cli.Commands;

/// <summary>The demo's stages in order; each returns the outputs to show (name -> local path or figure).</summary>
internal sealed class DemoSteps(IBlobStore store, RunAwaiter awaiter, Guid runId, string samples, DemoSettings settings, Func<string, string, string> pathOf)
{
    private readonly List<BlobReference> _corpus = [];
    private readonly List<BlobReference> _sft = [];
    private CorpusIngested? _ingested;
    private CorpusDeduplicated? _deduplicated;
    private PolicyCheckpointPublished? _policy;

    public IEnumerable<(string Name, Func<CancellationToken, Task<Dictionary<string, string>>> Run)> All()
    {
        yield return ("Upload the bundled samples", UploadAsync);
        yield return ("Ingest: normalise, language ID, quality filters, PII, toxicity, statistics", IngestAsync);
        yield return ("Dedup: exact and MinHash-LSH near duplicates", DedupAsync);
        yield return ("Pretrain a tiny Llama on the clean corpus", PretrainAsync);
        yield return ("Curate the SFT data", CurateSftAsync);
        yield return ("Generate samples from the pretrained policy", GenerateAsync);
        yield return ("Land a preference batch: an RLHF iteration starts by itself", LandPreferencesAsync);
    }

    private string Prefix => $"demo/{runId:N}/";

    private async Task<Dictionary<string, string>> UploadAsync(CancellationToken cancellationToken)
    {
        foreach (var file in Directory.EnumerateFiles(Path.Combine(samples, "corpus"), "*", SearchOption.AllDirectories).Where(IsData).Order(StringComparer.Ordinal))
            _corpus.Add(await UploadFileAsync("raw", Prefix + "corpus/" + Path.GetRelativePath(Path.Combine(samples, "corpus"), file).Replace('\\', '/'), file, cancellationToken));
        foreach (var file in Directory.EnumerateFiles(Path.Combine(samples, "sft"), "*.jsonl").Order(StringComparer.Ordinal))
            _sft.Add(await UploadFileAsync("raw", Prefix + "sft/" + Path.GetFileName(file), file, cancellationToken));
        return new()
        {
            ["corpus files"] = $"{_corpus.Count} ({_corpus.Sum(c => c.Size) / 1024} KiB) in {pathOf("raw", Prefix)}",
            ["sft files"] = _sft.Count.ToString(),
        };
    }

    private async Task<Dictionary<string, string>> IngestAsync(CancellationToken cancellationToken)
    {
        _ingested = await awaiter.PublishAndWaitAsync<IngestCorpus, CorpusIngested>(
            new IngestCorpus { RunId = runId, SourceContainer = "raw", SourcePrefix = Prefix + "corpus/" },
            settings.StageTimeout, cancellationToken);
        var outputs = new Dictionary<string, string>
        {
            ["documents read / kept"] = $"{_ingested.DocumentsRead} / {_ingested.DocumentsKept}",
            ["kept shards"] = string.Join(", ", _ingested.KeptShards.Select(s => pathOf(s.Container, s.Name)).Take(3)) + (_ingested.KeptShards.Count > 3 ? ", ..." : ""),
        };
        if (_ingested.Report is { } report) outputs["corpus report"] = pathOf(report.Container, report.Name);
        return outputs;
    }

    private async Task<Dictionary<string, string>> DedupAsync(CancellationToken cancellationToken)
    {
        var ingested = _ingested ?? throw new InvalidOperationException("ingest did not run");
        _deduplicated = await awaiter.PublishAndWaitAsync<DeduplicateCorpus, CorpusDeduplicated>(
            new DeduplicateCorpus { RunId = runId, Shards = ingested.KeptShards }, settings.StageTimeout, cancellationToken);
        var outputs = new Dictionary<string, string>
        {
            ["documents in / out"] = $"{_deduplicated.DocumentsIn} / {_deduplicated.DocumentsOut}",
            ["exact / near duplicates"] = $"{_deduplicated.ExactDuplicates} / {_deduplicated.NearDuplicates}",
            ["kept shards"] = string.Join(", ", _deduplicated.KeptShards.Select(s => pathOf(s.Container, s.Name)).Take(3)) + (_deduplicated.KeptShards.Count > 3 ? ", ..." : ""),
        };
        if (_deduplicated.RemovedList is { } removed) outputs["removed list"] = pathOf(removed.Container, removed.Name);
        return outputs;
    }

    private async Task<Dictionary<string, string>> PretrainAsync(CancellationToken cancellationToken)
    {
        var shards = _deduplicated?.KeptShards ?? throw new InvalidOperationException("dedup did not run");
        _policy = await awaiter.PublishAndWaitAsync<PretrainModel, PolicyCheckpointPublished>(
            new PretrainModel { RunId = runId, Shards = shards, MaxSteps = settings.PretrainSteps }, settings.StageTimeout, cancellationToken);
        var outputs = new Dictionary<string, string>
        {
            ["model folder"] = pathOf(_policy.Model.Container, _policy.Model.Prefix),
            ["steps"] = _policy.Steps.ToString(),
        };
        if (_policy.FinalLoss is { } loss) outputs["final loss"] = loss.ToString("0.000");
        if (_policy.TrainingReport is { } report) outputs["training report"] = pathOf(report.Container, report.Name);
        return outputs;
    }

    private async Task<Dictionary<string, string>> CurateSftAsync(CancellationToken cancellationToken)
    {
        var curated = await awaiter.PublishAndWaitAsync<CurateSft, SftDatasetCurated>(
            new CurateSft { RunId = runId, Files = _sft }, settings.StageTimeout, cancellationToken);
        return new()
        {
            ["examples read / train / eval / quarantined"] = $"{curated.ExamplesRead} / {curated.TrainExamples} / {curated.EvalExamples} / {curated.QuarantinedExamples}",
            ["train set"] = pathOf(curated.Train.Container, curated.Train.Name),
        };
    }

    private async Task<Dictionary<string, string>> GenerateAsync(CancellationToken cancellationToken)
    {
        var policy = _policy ?? throw new InvalidOperationException("pretraining did not run");
        var prompts = await UploadFileAsync("raw", Prefix + "prompts.jsonl", Path.Combine(samples, "prompts", "demo-prompts.jsonl"), cancellationToken);
        var generated = await awaiter.PublishAndWaitAsync<GenerateSamples, SamplesGenerated>(
            new GenerateSamples { RunId = runId, Policy = policy.Model, Prompts = prompts, SamplesPerPrompt = 2, MaxNewTokens = 32, Temperature = 0.8 },
            settings.StageTimeout, cancellationToken);
        return new()
        {
            ["prompts x samples"] = $"{generated.Prompts} x {generated.SamplesPerPrompt}",
            ["samples"] = pathOf(generated.Samples.Container, generated.Samples.Name),
        };
    }

    private async Task<Dictionary<string, string>> LandPreferencesAsync(CancellationToken cancellationToken)
    {
        var batch = $"demo-{runId:N}";
        var started = await awaiter.WaitForAsync<IterationStarted>(e => e.BatchId == batch, async () =>
        {
            await UploadFileAsync("preferences", $"incoming/{batch}/pairs.jsonl", Path.Combine(samples, "preferences", "demo-batch.jsonl"), cancellationToken);
            await store.WriteTextAsync("preferences", $"incoming/{batch}/_READY", "", cancellationToken: cancellationToken);
        }, settings.StageTimeout, cancellationToken);
        return new()
        {
            ["iteration"] = $"V{started.IterationId} from {(started.Policy is { } p ? pathOf(p.Container, p.Prefix) : "no policy yet")}",
            ["accepted pairs"] = pathOf("preferences", $"accepted/{batch}/pairs.jsonl"),
            ["rejected lines (with problems)"] = pathOf("preferences", $"rejected/{batch}/pairs.jsonl.problems.jsonl"),
        };
    }

    private async Task<BlobReference> UploadFileAsync(string container, string name, string path, CancellationToken cancellationToken)
    {
        await using var file = File.OpenRead(path);
        return await store.WriteAsync(container, name, file, cancellationToken: cancellationToken);
    }

    private static bool IsData(string path) => !path.EndsWith(".md", StringComparison.OrdinalIgnoreCase);
}
