using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Model.Kernels;
using Pipeline.Model.Llama;
using Pipeline.Model.Tokenization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Model.Training;

/// <summary>
/// Next-token pretraining: packed sequences, AdamW (weight decay on matrices only — norms are
/// not decayed, the usual choice the paper leaves open), warm-up + cosine schedule, gradient
/// clipping and accumulation, periodic eval, resumable checkpoints, NaN/Inf guard.
/// </summary>
public sealed class PretrainTrainer(LlamaForCausalLM model, TextTokenizer tokenizer, PretrainOptions options, ILogger? logger = null)
{
    private readonly ILogger log = logger ?? NullLogger.Instance;

    public PretrainResult Train(IEnumerable<string> documents, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var corpus = new PackedCorpus(documents, tokenizer, options.SequenceLength, options.EvalFraction);
        log.LogInformation("Packed {Documents} documents into {Tokens} tokens: {TrainSequences} train / {EvalSequences} eval sequences of {SequenceLength}",
            corpus.DocumentCount, corpus.TokenCount, corpus.TrainSequences, corpus.EvalSequences, options.SequenceLength);
        return Train(corpus, progress, cancellationToken);
    }

    public PretrainResult Train(PackedCorpus corpus, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var device = model.parameters().First().device;
        NativeAllocator.KeepFreedMemoryForReuse();
        if (!string.IsNullOrWhiteSpace(options.ComputeDtype)) model.ComputeDtype = TorchSetup.ParseDtype(options.ComputeDtype);
        var schedule = new LearningRateSchedule(options.PeakLearningRate, options.WarmupSteps, options.MaxSteps, options.MinLearningRateRatio);
        using var optimizer = CreateOptimizer();
        var state = StartState(corpus, optimizer, out var resumedFrom);
        var order = corpus.EpochOrder(options.Seed, state.Epoch);
        var (epoch, cursor, tokensSeen) = (state.Epoch, state.Cursor, state.TokensSeen);
        var trainLosses = state.TrainLosses;
        var evalLosses = state.EvalLosses;
        var lastCheckpoint = options.CheckpointDirectory is null ? null : TrainingCheckpoint.Latest(options.CheckpointDirectory);
        var tokensPerStep = (long)options.BatchSize * options.GradientAccumulationSteps * options.SequenceLength;
        var clock = Stopwatch.StartNew();
        var stepsThisRun = 0;
        double lastLoss = double.NaN;
        double? lastEval = null;
        model.train();

        for (var step = state.Step; step < options.MaxSteps; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var lr = schedule.At(step);
            foreach (var group in optimizer.ParamGroups) group.LearningRate = lr;
            double loss = 0;
            for (var micro = 0; micro < options.GradientAccumulationSteps; micro++)
            {
                var windows = new int[options.BatchSize];
                for (var i = 0; i < windows.Length; i++)
                {
                    if (cursor >= order.Length) { epoch++; cursor = 0; order = corpus.EpochOrder(options.Seed, epoch); }
                    windows[i] = order[cursor++];
                }
                using var scope = NewDisposeScope();
                var batch = corpus.MakeBatch(windows, options.IsolateDocuments, device);
                var microLoss = Loss(batch) / options.GradientAccumulationSteps;
                microLoss.backward();
                loss += microLoss.item<float>();
            }
            if (!double.IsFinite(loss)) throw Diverged(step + 1, "loss", lastCheckpoint);
            var gradNorm = nn.utils.clip_grad_norm_(model.parameters(), options.GradientClip);
            if (!double.IsFinite(gradNorm)) throw Diverged(step + 1, "gradient norm", lastCheckpoint);
            optimizer.step();
            optimizer.zero_grad();
            stepsThisRun++;
            tokensSeen += tokensPerStep;
            lastLoss = loss;
            var done = step + 1;
            trainLosses.Add(new LossPoint(done, loss));

            double? eval = null;
            if ((options.EvalEvery > 0 && done % options.EvalEvery == 0) || done == options.MaxSteps)
            {
                eval = EvalLoss(corpus, device);
                if (eval is double e) { evalLosses.Add(new LossPoint(done, e)); lastEval = e; }
            }
            var tokensPerSecond = tokensPerStep * stepsThisRun / Math.Max(1e-9, clock.Elapsed.TotalSeconds);
            var eta = TimeSpan.FromSeconds((options.MaxSteps - done) * clock.Elapsed.TotalSeconds / stepsThisRun);
            if (done % options.LogEvery == 0 || eval is not null || done == options.MaxSteps)
                log.LogInformation("Step {Step}/{TotalSteps} loss {Loss:F4} eval {EvalLoss} lr {LearningRate:E2} grad-norm {GradNorm:F3} {TokensPerSecond:F0} tok/s ETA {Eta}",
                    done, options.MaxSteps, loss, eval?.ToString("F4") ?? "-", lr, gradNorm, tokensPerSecond, eta.ToString(@"hh\:mm\:ss"));
            progress?.Report(new TrainingProgress(done, options.MaxSteps, loss, lr, gradNorm, tokensPerSecond, eta, eval));

            if (options.CheckpointDirectory is not null && ((options.CheckpointEvery > 0 && done % options.CheckpointEvery == 0) || done == options.MaxSteps))
            {
                var snapshot = new TrainerState
                {
                    Step = done, Epoch = epoch, Cursor = cursor, TokensSeen = tokensSeen, CorpusFingerprint = corpus.Fingerprint,
                    TorchRngState = TrainingCheckpoint.RngState(), TrainLosses = trainLosses, EvalLosses = evalLosses,
                };
                lastCheckpoint = TrainingCheckpoint.Save(options.CheckpointDirectory, done, model, tokenizer, optimizer, snapshot);
                log.LogInformation("Checkpoint {Checkpoint} written at step {Step}", lastCheckpoint, done);
                if (options.LossCurvePath is not null) LossCurve.Save(options.LossCurvePath, trainLosses, evalLosses);
            }
        }
        if (options.LossCurvePath is not null) LossCurve.Save(options.LossCurvePath, trainLosses, evalLosses);
        var overall = stepsThisRun == 0 ? 0 : tokensPerStep * stepsThisRun / clock.Elapsed.TotalSeconds;
        return new PretrainResult(options.MaxSteps, trainLosses.LastOrDefault()?.Loss ?? lastLoss, lastEval ?? evalLosses.LastOrDefault()?.Loss,
            trainLosses, evalLosses, overall, lastCheckpoint, resumedFrom);
    }

    private Tensor Loss(PackedCorpus.Batch batch)
    {
        var forward = options.IsolateDocuments ? new ForwardOptions(PositionIds: batch.PositionIds, DocumentIds: batch.DocumentIds) : null;
        return model.Loss(batch.Input, batch.Target, forward);
    }

    private double? EvalLoss(PackedCorpus corpus, Device device)
    {
        if (corpus.EvalSequences == 0) return null;
        model.eval();
        using var _ = no_grad();
        double total = 0;
        var batches = Math.Max(1, Math.Min(options.EvalBatches, (corpus.EvalSequences + options.BatchSize - 1) / options.BatchSize));
        for (var b = 0; b < batches; b++)
        {
            using var scope = NewDisposeScope();
            var windows = Enumerable.Range(b * options.BatchSize, Math.Min(options.BatchSize, corpus.EvalSequences)).Select(corpus.EvalWindow).ToArray();
            total += Loss(corpus.MakeBatch(windows, options.IsolateDocuments, device)).item<float>();
        }
        model.train();
        return total / batches;
    }

    private AdamW CreateOptimizer()
    {
        var decay = model.parameters().Where(p => p.dim() >= 2).ToList();
        var noDecay = model.parameters().Where(p => p.dim() < 2).ToList();
        AdamW.ParamGroup Group(IEnumerable<Parameter> ps, double wd) =>
            new(ps, options.PeakLearningRate, options.Beta1, options.Beta2, options.Epsilon, wd, false, false);
        return new Fused.AdamW([Group(decay, options.WeightDecay), Group(noDecay, 0)]);
    }

    private TrainerState StartState(PackedCorpus corpus, AdamW optimizer, out int? resumedFrom)
    {
        resumedFrom = null;
        var checkpoint = options.CheckpointDirectory is not null && options.Resume ? TrainingCheckpoint.Latest(options.CheckpointDirectory) : null;
        if (checkpoint is null)
        {
            torch.manual_seed(options.Seed);
            return new TrainerState
            {
                Step = 0, Epoch = 0, Cursor = 0, TokensSeen = 0, CorpusFingerprint = corpus.Fingerprint,
                TorchRngState = "", TrainLosses = [], EvalLosses = [],
            };
        }
        var state = TrainingCheckpoint.Restore(checkpoint, model, optimizer);
        if (state.CorpusFingerprint != corpus.Fingerprint)
            throw new InvalidOperationException($"{checkpoint}: checkpoint was trained on a different corpus ({state.CorpusFingerprint}, now {corpus.Fingerprint}); use a new checkpoint directory or Resume = false");
        resumedFrom = state.Step;
        log.LogInformation("Resumed from {Checkpoint} at step {Step}", checkpoint, state.Step);
        return state;
    }

    private TrainingDivergedException Diverged(int step, string what, string? lastCheckpoint)
    {
        var ex = new TrainingDivergedException(step, what, lastCheckpoint);
        log.LogError("Training diverged at step {Step}: {What} is not finite; last good checkpoint {Checkpoint}", step, what, lastCheckpoint);
        return ex;
    }
}
