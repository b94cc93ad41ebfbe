namespace Pipeline.Model.Benchmarks;

/// <summary>What `pipeline bench model` measures; defaults follow the issue (batch 8 x 256, 256 new tokens, K = 8).</summary>
public sealed record ModelBenchmarkOptions
{
    public int Threads { get; init; } = 2;
    public int TrainBatchSize { get; init; } = 8;
    public int SequenceLength { get; init; } = 256;
    /// <summary>Timed training steps per round; a round's throughput is taken from its median step.</summary>
    public int TrainSteps { get; init; } = 3;
    /// <summary>Training rounds, each ours then the PyTorch reference's (when configured); figures are the rounds' medians.</summary>
    public int TrainRounds { get; init; } = 3;
    public int WarmupSteps { get; init; } = 1;
    public int PromptTokens { get; init; } = 16;
    public int NewTokens { get; init; } = 256;
    public int BatchedSequences { get; init; } = 8;
    /// <summary>Prompt length of the second KV-cache speed-up figure (0: not measured).</summary>
    public int ChatPromptTokens { get; init; } = 128;
    /// <summary>Recompute-without-cache is slow on big models; it runs on the sizes up to this many parameters.</summary>
    public long RecomputeMaxParameters { get; init; } = 30_000_000;
    /// <summary>Path of bench/model/reference_pytorch.py; when set and python3 exists, the same configs run in PyTorch eager.</summary>
    public string? PyTorchReferenceScript { get; init; }
    public IReadOnlyList<BenchmarkModelSize> Sizes { get; init; } = BenchmarkModelSize.Defaults;
}

public sealed record BenchmarkModelSize(string Name, int Hidden, int Intermediate, int Layers, int Heads, int KvHeads, int Vocab)
{
    public static readonly IReadOnlyList<BenchmarkModelSize> Defaults =
    [
        new("2M", 128, 384, 4, 4, 4, 4096),
        // The training targets are stated for 7M-25M parameters (its reference run: 7.4M).
        new("7M", 256, 704, 6, 4, 4, 4096),
        new("25M", 512, 1408, 6, 8, 8, 4096),
    ];
}
