using System.CommandLine;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Cli.Output;
using Pipeline.Model;
using Pipeline.Model.Llama;
using Pipeline.Model.Tokenization;
using Pipeline.Model.Training;
using Spectre.Console;

namespace Pipeline.Cli.Commands;

/// <summary>`pipeline pretrain`: train a Llama model from scratch on corpus JSONL files, locally.</summary>
internal static class PretrainCommand
{
    public static Command Create()
    {
        var corpus = new Option<FileInfo[]>("--corpus") { Description = "Corpus JSONL files ({id,text,meta}, .gz allowed).", Required = true, AllowMultipleArgumentsPerToken = true };
        var output = new Option<DirectoryInfo>("--out") { Description = "Model folder to write.", Required = true };
        var config = new Option<FileInfo?>("--config") { Description = "HF config.json (default: tiny preset)." };
        var tokenizer = new Option<string>("--tokenizer") { DefaultValueFactory = _ => "gpt2" };
        var steps = new Option<int>("--steps") { DefaultValueFactory = _ => 300 };
        var seqLen = new Option<int>("--seq-len") { DefaultValueFactory = _ => 128 };
        var batch = new Option<int>("--batch") { DefaultValueFactory = _ => 8 };
        var accumulation = new Option<int>("--grad-accum") { DefaultValueFactory = _ => 1 };
        var lr = new Option<double>("--lr") { DefaultValueFactory = _ => 2e-3 };
        var warmup = new Option<int>("--warmup") { DefaultValueFactory = _ => 30 };
        var checkpoints = new Option<DirectoryInfo?>("--checkpoint-dir") { Description = "Resumable checkpoints (resumes if one exists)." };
        var checkpointEvery = new Option<int>("--checkpoint-every") { DefaultValueFactory = _ => 100 };
        var isolate = new Option<bool>("--isolate-documents") { Description = "Block attention across packed documents." };
        var seed = new Option<long>("--seed") { DefaultValueFactory = _ => 0 };
        var threads = new Option<int>("--threads") { DefaultValueFactory = _ => 0 };
        var device = new Option<string>("--device") { Description = "cpu | cuda", DefaultValueFactory = _ => "cpu" };
        var dtype = new Option<string>("--dtype") { Description = "float32 | bfloat16 | float16", DefaultValueFactory = _ => "float32" };
        var computeDtype = new Option<string?>("--compute-dtype") { Description = "Mixed precision: bfloat16 runs matmuls/attention in bf16 on float32 weights (fast on CPUs with AMX/AVX512-BF16)." };
        var command = new Command("pretrain", "Pretrain a Llama model on corpus JSONL files and write an HF model folder with a loss curve.");
        foreach (var o in new Option[] { corpus, output, config, tokenizer, steps, seqLen, batch, accumulation, lr, warmup, checkpoints, checkpointEvery, isolate, seed, threads, device, dtype, computeDtype })
            command.Options.Add(o);
        command.SetAction((parse, cancellationToken) =>
        {
            var json = parse.GetValue(CommonOptions.Json);
            try
            {
                TorchSetup.SetThreads(parse.GetValue(threads));
                var tok = TokenizerLoader.Load(parse.GetValue(tokenizer)!);
                var cfgFile = parse.GetValue(config);
                var cfg = cfgFile is null ? LlamaPresets.Tiny(tok, Math.Max(256, parse.GetValue(seqLen))) : LlamaConfig.Load(cfgFile.FullName);
                var dir = parse.GetValue(output)!.FullName;
                var options = new PretrainOptions
                {
                    MaxSteps = parse.GetValue(steps), SequenceLength = parse.GetValue(seqLen), BatchSize = parse.GetValue(batch),
                    GradientAccumulationSteps = parse.GetValue(accumulation), PeakLearningRate = parse.GetValue(lr), WarmupSteps = parse.GetValue(warmup),
                    CheckpointDirectory = parse.GetValue(checkpoints)?.FullName, CheckpointEvery = parse.GetValue(checkpointEvery),
                    IsolateDocuments = parse.GetValue(isolate), Seed = parse.GetValue(seed), EvalEvery = 50,
                    LossCurvePath = Path.Combine(dir, "loss.png"), ComputeDtype = parse.GetValue(computeDtype),
                };
                var texts = parse.GetValue(corpus)!.SelectMany(f => CorpusDocuments.ReadFile(f.FullName)).ToList();
                using var model = LlamaForCausalLM.Create(cfg, options.Seed, TorchSetup.ParseDevice(parse.GetValue(device)), TorchSetup.ParseDtype(parse.GetValue(dtype)));
                using var loggerFactory = json ? LoggerFactory.Create(b => b.AddConsole(c => c.LogToStandardErrorThreshold = LogLevel.Trace)) : null;
                var logger = loggerFactory?.CreateLogger("pretrain") ?? (ILogger)NullLogger.Instance;
                var trainer = new PretrainTrainer(model, tok, options, logger);
                PretrainResult result;
                if (json)
                {
                    result = trainer.Train(texts, null, cancellationToken);
                }
                else
                {
                    PretrainResult? r = null;
                    AnsiConsole.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                        .Start(ctx =>
                        {
                            var task = ctx.AddTask("pretraining", maxValue: options.MaxSteps);
                            r = trainer.Train(texts, new InlineProgress(p =>
                            {
                                task.Value = p.Step;
                                task.Description = $"step {p.Step} loss {p.Loss:F3} {p.TokensPerSecond:F0} tok/s";
                            }), cancellationToken);
                        });
                    result = r!;
                }
                ModelFolder.Save(model, dir, tok);
                var summary = new PretrainSummary(dir, result.Steps, result.TrainLosses[0].Loss, result.FinalLoss, result.FinalEvalLoss, result.TokensPerSecond, options.LossCurvePath);
                CliOutput.Write(summary, json, s => Console.WriteLine(
                    $"Wrote {s.Model}: {s.Steps} steps, loss {s.FirstLoss:F3} -> {s.FinalLoss:F3} (eval {s.FinalEvalLoss:F3}), {s.TokensPerSecond:F0} tok/s, curve {s.LossCurve}"));
                return Task.FromResult(0);
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException or ArgumentException or NotSupportedException or TrainingDivergedException)
            {
                return Task.FromResult(CliOutput.Fail(ex.Message, json));
            }
        });
        return command;
    }

    private sealed record PretrainSummary(string Model, int Steps, double FirstLoss, double FinalLoss, double? FinalEvalLoss, double TokensPerSecond, string? LossCurve);

    private sealed class InlineProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
