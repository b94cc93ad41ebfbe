using System.Diagnostics;
using System.Text.Json;
using Pipeline.Model.Generation;
using Pipeline.Model.Kernels;
using Pipeline.Model.Llama;
using static TorchSharp.torch;

namespace Pipeline.Model.Benchmarks;

/// <summary>
/// Training and generation throughput of the Llama implementation on this machine, with the fp32
/// matmul peak measured in the same run (for model-FLOPs utilisation) and, optionally, the same
/// configs in PyTorch eager for a side-by-side ratio.
/// </summary>
public sealed class ModelBenchmark(ModelBenchmarkOptions options)
{
    public ModelBenchmarkResult Run(Action<string>? report = null, CancellationToken cancellationToken = default)
    {
        set_num_threads(options.Threads);
        allocatorTuned = NativeAllocator.KeepFreedMemoryForReuse();
        report?.Invoke(allocatorTuned ? "malloc: freed memory kept for reuse (NativeAllocator; the PyTorch reference gets the same settings)" : "malloc: defaults");
        var matmul = new[] { 256, 512, 1024, 2048 }.Select(n => new MatmulPoint(n, MatmulGflops(n, ScalarType.Float32))).ToList();
        var peak = matmul.Max(m => m.Gflops);
        report?.Invoke($"matmul fp32 GFLOP/s: {string.Join(", ", matmul.Select(m => $"n={m.N} {m.Gflops:F0}"))}");
        var matmulBf16 = new[] { 256, 512, 1024, 2048 }.Select(n => new MatmulPoint(n, MatmulGflops(n, ScalarType.BFloat16))).ToList();
        report?.Invoke($"matmul bf16 GFLOP/s: {string.Join(", ", matmulBf16.Select(m => $"n={m.N} {m.Gflops:F0}"))}");
        var bandwidth = MemoryReadBandwidth.GigabytesPerSecond(options.Threads);
        report?.Invoke($"memory read: {bandwidth:F1} GB/s on {options.Threads} threads ({MemoryReadBandwidth.DefaultBytes >> 20} MiB, best of 5)");
        var sizes = new List<SizeBenchmark>();
        var comparisons = new List<PyTorchComparison>();
        string? referenceError = null;
        foreach (var size in options.Sizes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (s, paired, trainingError) = Measure(size, peak);
            referenceError ??= trainingError;
            report?.Invoke($"{s.Name} ({s.Parameters:N0} params): train {s.TrainTokensPerSecond:F0} tok/s (MFU {s.TrainMfu:P0}), "
                + $"bf16 mixed {s.TrainBf16TokensPerSecond:F0} tok/s (MFU vs fp32 peak {s.TrainBf16Mfu:P0}), bf16 generate {s.GenerationBf16TokensPerSecond:F1} tok/s, "
                + $"generate {s.GenerationTokensPerSecond:F1} tok/s, KV-cache speed-up {s.KvCacheSpeedup?.ToString("F1") ?? "-"}x "
                + $"({s.ChatPromptTokens}-token prompt: {s.KvCacheSpeedupChatPrompt?.ToString("F1") ?? "-"}x), batched K={options.BatchedSequences} {s.BatchedSpeedup:F1}x, "
                + $"C# decode step {s.CsharpStepSpeedup?.ToString("F2") ?? "-"}x the TorchSharp step; decode reads {s.DecodeBytesPerToken / 1e6:F1} MB/token "
                + $"at {s.GenerationGigabytesPerSecond:F1} GB/s, batched {s.BatchedGigabytesPerSecond:F1} GB/s");
            sizes.Add(s);
            // The reference runs right after each size, not after all of them: this VM's speed drifts by
            // 2x over minutes, and a ratio of figures taken minutes apart measured the drift as much as the code.
            var (generation, error) = ReferenceGeneration(size);
            if (generation is double g) comparisons.Add(Compare(s, g, paired));
            referenceError ??= error;
        }
        var torchRows = comparisons.Count == 0 ? null : comparisons;
        // The peak again at the end, and MFU against the higher of the two: on this shared VM one
        // measurement taken in a slow minute came out at 70 GFLOP/s (184-242 in other runs) and put
        // MFU at 188 %. The higher peak is what the machine can do, so MFU errs low, not high.
        var endPeak = MatmulGflops(matmul.MaxBy(m => m.Gflops)!.N, ScalarType.Float32);
        report?.Invoke($"matmul fp32 peak again at the end: {endPeak:F0} GFLOP/s (MFU uses the higher of {peak:F0} and {endPeak:F0})");
        var finalPeak = Math.Max(peak, endPeak);
        // Bandwidth too: the higher of the two is what the machine can do (see the peak above).
        var endBandwidth = MemoryReadBandwidth.GigabytesPerSecond(options.Threads);
        report?.Invoke($"memory read again at the end: {endBandwidth:F1} GB/s");
        sizes = sizes.Select(s => s with { TrainMfu = s.TrainMfu * peak / finalPeak, TrainBf16Mfu = s.TrainBf16Mfu * peak / finalPeak }).ToList();
        // Any failure of the reference is reported, also one that left part of the comparison standing
        // (training servers that did not start while generation ran): a missing ratio then has a reason.
        return new ModelBenchmarkResult(options.Threads, matmul, finalPeak, matmulBf16, sizes, Process.GetCurrentProcess().PeakWorkingSet64, torchRows,
            referenceError, endPeak, Math.Max(bandwidth, endBandwidth));
    }

    private static double MatmulGflops(int n, ScalarType dtype)
    {
        using var a = randn(n, n).to_type(dtype);
        using var b = randn(n, n).to_type(dtype);
        for (var i = 0; i < 2; i++) matmul(a, b).Dispose();
        var reps = Math.Max(3, (int)(2e10 / (2.0 * n * n * n)));
        reps = Math.Min(reps, 200);
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < reps; i++) matmul(a, b).Dispose();
        return 2.0 * n * n * n * reps / sw.Elapsed.TotalSeconds / 1e9;
    }

    public static LlamaConfig ConfigFor(BenchmarkModelSize s) => new()
    {
        HiddenSize = s.Hidden, IntermediateSize = s.Intermediate, NumHiddenLayers = s.Layers, NumAttentionHeads = s.Heads,
        NumKeyValueHeads = s.KvHeads, VocabSize = s.Vocab, MaxPositionEmbeddings = 1024,
    };

    private (SizeBenchmark Size, PairedTraining? Paired, string? ReferenceError) Measure(BenchmarkModelSize size, double peakGflops)
    {
        var config = ConfigFor(size);
        using var model = LlamaForCausalLM.Create(config, seed: 1);
        var parameters = config.ParameterCount();
        var (train, trainBf16, paired, referenceError) = TrainingRounds(size, model, config);
        // Model FLOPs per token: 6 per weight (forward + backward) for every matmul weight (all but the
        // embedding lookup) plus the attention score/value matmuls, 12 * layers * hidden * T / 2 causal.
        var matmulWeights = DecodeTraffic.MatmulWeights(config);
        var flopsPerToken = 6.0 * matmulWeights + 6.0 * config.NumHiddenLayers * config.HiddenSize * options.SequenceLength;
        var modelGflops = flopsPerToken * train / 1e9;
        var modelGflopsBf16 = flopsPerToken * trainBf16 / 1e9;

        var generator = new TextGenerator(model);
        var prompt = SyntheticPrompt(options.PromptTokens, stride: 7, config.VocabSize);
        var greedy = new SamplingOptions { MaxNewTokens = options.NewTokens, Temperature = 0, StopIds = [] };
        generator.Generate([prompt], greedy with { MaxNewTokens = 8 });
        var batchPrompts = Enumerable.Range(0, options.BatchedSequences).Select(k => prompt.Select(t => (t + k) % config.VocabSize).ToArray()).ToArray();
        var (cached, batched, batchedSpeedup) = SingleAndBatchedSeconds(generator, prompt, batchPrompts, greedy);
        double? recompute = parameters <= options.RecomputeMaxParameters ? RecomputeSeconds(generator, prompt, greedy) : null;
        var single = options.NewTokens / cached;
        var batchedRate = options.BatchedSequences * options.NewTokens / batched;
        var chatSpeedup = recompute is null ? null : KvCacheSpeedupWithChatPrompt(generator, config, greedy);
        var torchSharpStep = TorchSharpStepSeconds(model, generator, prompt, greedy);
        // Generation reads every weight once per token, so bf16 weights halve the memory traffic.
        model.MoveTo(null, ScalarType.BFloat16);
        generator.Generate([prompt], greedy with { MaxNewTokens = 8 });
        var cachedBf16 = Median(() => generator.Generate([prompt], greedy));
        var singleStepBytes = DecodeTraffic.StepBytes(config, 1, options.PromptTokens, options.NewTokens);
        return (new SizeBenchmark(size.Name, parameters, train, modelGflops, modelGflops / peakGflops, single,
            recompute is double r ? options.NewTokens / r : null, recompute is double r2 ? r2 / cached : null, batchedRate, batchedSpeedup,
            trainBf16, modelGflopsBf16 / peakGflops, options.NewTokens / cachedBf16, chatSpeedup, options.ChatPromptTokens,
            torchSharpStep is double t ? options.NewTokens / t : null, torchSharpStep is double t2 ? t2 / cached : null,
            singleStepBytes, single * singleStepBytes / 1e9,
            batchedRate / options.BatchedSequences * DecodeTraffic.StepBytes(config, options.BatchedSequences, options.PromptTokens, options.NewTokens) / 1e9), paired, referenceError);
    }

    /// <summary>
    /// The baseline of the C# decode step (<see cref="CpuDecoder"/>): the same single-sequence
    /// generation with every step through TorchSharp, measured in the same run. Null where the C#
    /// step does not run (other devices or dtypes, CPUs without AVX2/FMA).
    /// </summary>
    private static double? TorchSharpStepSeconds(LlamaForCausalLM model, TextGenerator generator, int[] prompt, SamplingOptions greedy)
    {
        if (!CpuDecoder.CanRun(model, greedy, CPU)) return null;
        CpuDecoder.Enabled = false;
        try
        {
            generator.Generate([prompt], greedy with { MaxNewTokens = 8 });
            return Median(() => generator.Generate([prompt], greedy));
        }
        finally
        {
            CpuDecoder.Enabled = true;
        }
    }

    /// <summary>
    /// The KV-cache speed-up with a prompt of chat length (a Llama 2 chat prompt with its system prompt
    /// runs to a hundred tokens and more): the recompute baseline re-reads the whole prompt at every
    /// step, so the speed-up grows with the prompt, and the 16-token figure is its low end.
    /// </summary>
    private double? KvCacheSpeedupWithChatPrompt(TextGenerator generator, LlamaConfig config, SamplingOptions greedy)
    {
        if (options.ChatPromptTokens <= 0) return null;
        var prompt = SyntheticPrompt(options.ChatPromptTokens, stride: 11, config.VocabSize);
        var cached = Median(() => generator.Generate([prompt], greedy));
        return RecomputeSeconds(generator, prompt, greedy) / cached;
    }

    /// <summary>Token ids spread over the vocabulary (above the special ids 0-2); decode speed does not depend on which.</summary>
    private static int[] SyntheticPrompt(int length, int stride, int vocabSize) =>
        Enumerable.Range(0, length).Select(i => 3 + i * stride % (vocabSize - 3)).ToArray();

    /// <summary>One generation without the KV cache: every step runs the whole sequence so far.</summary>
    private static double RecomputeSeconds(TextGenerator generator, int[] prompt, SamplingOptions greedy) =>
        Time(() => generator.Generate([prompt], greedy with { UseKvCache = false }));

    /// <summary>Whether <see cref="NativeAllocator"/> tuned malloc here; the reference then gets the same settings.</summary>
    private bool allocatorTuned;

    /// <summary>The PyTorch reference's training figures from the rounds paired with ours (see <see cref="TrainingRounds"/>).</summary>
    private sealed record PairedTraining(double Fp32, double Bf16, double Fp32Ratio, double Bf16Ratio, double Bf16VsFp32Ratio);

    /// <summary>
    /// Training tokens/s, float32 and bf16 mixed, in <see cref="ModelBenchmarkOptions.TrainRounds"/>
    /// rounds; with the PyTorch reference, each round also trains the same config there (fp32 eager and
    /// CPU autocast bf16) right after ours, and the ratios are the medians of the rounds' ratios. Our
    /// figures are the medians of the rounds. Paired is null without a reference or when it failed;
    /// ReferenceError then says why (null when no reference was configured).
    /// </summary>
    private (double Fp32, double Bf16, PairedTraining? Paired, string? ReferenceError) TrainingRounds(BenchmarkModelSize size, LlamaForCausalLM model, LlamaConfig config)
    {
        var (servers, startError) = StartReferenceServers(size);
        try
        {
            var (ours32, ours16, theirs32, theirs16) = (new List<double>(), new List<double>(), new List<double>(), new List<double>());
            for (var round = 0; round < Math.Max(1, options.TrainRounds); round++)
            {
                model.ComputeDtype = null;
                ours32.Add(TrainTokensPerSecond(model, config));
                if (Best(servers, bf16: false) is double t32) theirs32.Add(t32);
                // Mixed precision: the same float32 model with its matmuls and attention in bf16 (AMX / AVX512-BF16 where present).
                model.ComputeDtype = ScalarType.BFloat16;
                ours16.Add(TrainTokensPerSecond(model, config));
                model.ComputeDtype = null;
                if (Best(servers, bf16: true) is double t16) theirs16.Add(t16);
            }
            var paired = theirs32.Count == ours32.Count && theirs16.Count == ours16.Count && theirs32.Count > 0
                ? new PairedTraining(MedianOf(theirs32), MedianOf(theirs16),
                    MedianOf(ours32.Zip(theirs32, (a, b) => a / b)), MedianOf(ours16.Zip(theirs16, (a, b) => a / b)),
                    MedianOf(ours16.Zip(theirs32, (a, b) => a / b)))
                : null;
            var error = paired is not null ? null
                : startError ?? (servers.Count > 0 ? $"the PyTorch reference's training server for {size.Name} stopped giving figures" : null);
            return (MedianOf(ours32), MedianOf(ours16), paired, error);
        }
        finally
        {
            foreach (var server in servers) server.Dispose();
        }
    }

    /// <summary>The faster of the reference servers (one per <see cref="ReferenceSpinSettings"/>).</summary>
    private double? Best(IReadOnlyList<PyTorchTrainingServer> servers, bool bf16)
    {
        double? best = null;
        foreach (var server in servers)
            if (server.Train(bf16, options.TrainSteps) is double t) best = Math.Max(best ?? 0, t);
        return best;
    }

    /// <summary>The reference's training servers that started, and the first start error (null when all started or none is configured).</summary>
    private (List<PyTorchTrainingServer> Servers, string? Error) StartReferenceServers(BenchmarkModelSize size)
    {
        var servers = new List<PyTorchTrainingServer>();
        string? firstError = null;
        if (options.PyTorchReferenceScript is null || !File.Exists(options.PyTorchReferenceScript)) return (servers, null);
        foreach (var withoutSpinCount in ReferenceSpinSettings)
        {
            var (server, error) = PyTorchTrainingServer.Start(ReferenceStartInfo(size, withoutSpinCount));
            if (server is not null) servers.Add(server);
            firstError ??= error;
        }
        return (servers, servers.Count > 0 ? null : firstError);
    }

    private static double MedianOf(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private double TrainTokensPerSecond(LlamaForCausalLM model, LlamaConfig config)
    {
        model.train();
        using var optimizer = new Training.Fused.AdamW(model.parameters(), 1e-4, 0.9, 0.95, 1e-5, 0.1);
        using var generator = new Generator(0, CPU);
        using var data = randint(0, config.VocabSize, [options.TrainBatchSize, options.SequenceLength + 1], generator: generator);
        var input = data.narrow(1, 0, options.SequenceLength);
        var target = data.narrow(1, 1, options.SequenceLength).reshape(-1);
        void Step()
        {
            using var scope = NewDisposeScope();
            model.Loss(input, target).backward();
            nn.utils.clip_grad_norm_(model.parameters(), 1.0);
            optimizer.step();
            optimizer.zero_grad();
        }
        for (var i = 0; i < options.WarmupSteps; i++) Step();
        // The median step, not the mean: on a shared VM one step in a few is slowed by other guests,
        // and the reference script times its steps the same way.
        var median = MedianOf(Enumerable.Range(0, options.TrainSteps).Select(_ => Time(Step)));
        return (double)options.TrainBatchSize * options.SequenceLength / median;
    }

    private static double Time(Action action)
    {
        var sw = Stopwatch.StartNew();
        action();
        return sw.Elapsed.TotalSeconds;
    }

    private static double Time<T>(Func<T> action) => Time(() => { action(); });

    /// <summary>
    /// Single-sequence and batched generation timed in three rounds, each a single run and then a
    /// batched run seconds apart: the median times, and the median of the rounds' throughput ratios.
    /// Timed apart (three single runs, then the no-cache baseline, then three batched runs), the ratio
    /// also carried whatever the shared machine's load did in between.
    /// </summary>
    private (double Single, double Batched, double Speedup) SingleAndBatchedSeconds(TextGenerator generator, int[] prompt, int[][] batchPrompts, SamplingOptions greedy)
    {
        var rounds = Enumerable.Range(0, 3).Select(_ => (Single: Time(() => generator.Generate([prompt], greedy)), Batched: Time(() => generator.Generate(batchPrompts, greedy)))).ToList();
        return (MedianOf(rounds.Select(r => r.Single)), MedianOf(rounds.Select(r => r.Batched)),
            MedianOf(rounds.Select(r => batchPrompts.Length * r.Single / r.Batched)));
    }

    /// <summary>
    /// The median of three timings: a small model's generation run lasts well under a second and is
    /// mostly native-call overhead, so one run swings with whatever else the machine is doing.
    /// </summary>
    private static double Median<T>(Func<T> action) => MedianOf(Enumerable.Range(0, 3).Select(_ => Time(action)));

    /// <summary>
    /// The reference runs once with our environment and, when GOMP_SPINCOUNT is set (the pipeline
    /// wrapper sets it), once more without it, and each figure takes the faster of the two: brief
    /// spinning made our steps faster but halved PyTorch's 2M decode, whose OpenBLAS threads compete
    /// with the spinning OpenMP ones. So the ratios compare against PyTorch at its better setting.
    /// </summary>
    private (double? Generation, string? Error) ReferenceGeneration(BenchmarkModelSize size)
    {
        if (options.PyTorchReferenceScript is null) return (null, null);
        if (!File.Exists(options.PyTorchReferenceScript)) return (null, $"{options.PyTorchReferenceScript} not found");
        double? best = null;
        foreach (var withoutSpinCount in ReferenceSpinSettings)
        {
            var (generation, error) = ReferenceGenerationOnce(size, withoutSpinCount);
            // The first setting failing means the reference cannot run here: its error is the answer.
            if (generation is null && best is null) return (null, error);
            best = Math.Max(best ?? 0, generation ?? 0);
        }
        return (best, null);
    }

    /// <summary>
    /// The reference's settings, as "without GOMP_SPINCOUNT" flags: our environment, and without the
    /// spin count too when it is set (see <see cref="ReferenceGeneration"/>).
    /// </summary>
    private static bool[] ReferenceSpinSettings => System.Environment.GetEnvironmentVariable("GOMP_SPINCOUNT") is null ? [false] : [false, true];

    /// <summary>Generation from the one-shot reference run; training from the rounds paired with ours (null when those failed).</summary>
    private static PyTorchComparison Compare(SizeBenchmark mine, double referenceGeneration, PairedTraining? paired) =>
        new(mine.Name, paired?.Fp32, referenceGeneration, paired?.Fp32Ratio, mine.GenerationTokensPerSecond / referenceGeneration,
            paired?.Bf16, paired?.Bf16Ratio, paired?.Bf16VsFp32Ratio);

    private ProcessStartInfo ReferenceStartInfo(BenchmarkModelSize size, bool withoutSpinCount)
    {
        // Debian's interpreter has python3-torch; a pyenv python3 earlier on PATH usually does not.
        var psi = new ProcessStartInfo(File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3");
        // Same allocator behaviour on both sides, so the ratio compares the frameworks, not malloc settings.
        if (allocatorTuned)
            foreach (var (name, value) in NativeAllocator.Environment) psi.Environment[name] = value;
        if (withoutSpinCount) psi.Environment.Remove("GOMP_SPINCOUNT");
        foreach (var a in new[] { options.PyTorchReferenceScript!, "--threads", options.Threads.ToString(), "--batch", options.TrainBatchSize.ToString(),
                     "--seq", options.SequenceLength.ToString(), "--steps", options.TrainSteps.ToString(), "--prompt", options.PromptTokens.ToString(),
                     "--new-tokens", options.NewTokens.ToString(), "--sizes", JsonSerializer.Serialize(new[] { size }) })
            psi.ArgumentList.Add(a);
        return psi;
    }

    /// <summary>Generation in the reference (training is measured in paired rounds, see <see cref="TrainingRounds"/>).</summary>
    private (double? Generation, string? Error) ReferenceGenerationOnce(BenchmarkModelSize size, bool withoutSpinCount)
    {
        var psi = ReferenceStartInfo(size, withoutSpinCount);
        psi.ArgumentList.Add("--no-train");
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        psi.RedirectStandardInput = true;
        try
        {
            using var process = Process.Start(psi)!;
            process.StandardInput.Close();
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0) return (null, $"python3 reference exited {process.ExitCode}: {stderr.Result.Trim()}");
            using var doc = JsonDocument.Parse(stdout);
            return (doc.RootElement.GetProperty("sizes")[0].GetProperty("generation_tokens_per_second").GetDouble(), null);
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or JsonException or KeyNotFoundException or InvalidOperationException or IndexOutOfRangeException)
        {
            return (null, $"python3 reference failed: {ex.Message}");
        }
    }
}
