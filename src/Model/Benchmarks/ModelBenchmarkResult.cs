namespace Pipeline.Model.Benchmarks;

public sealed record MatmulPoint(int N, double Gflops);

public sealed record SizeBenchmark(
    string Name,
    long Parameters,
    double TrainTokensPerSecond,
    double TrainModelGflops,
    double TrainMfu,
    double GenerationTokensPerSecond,
    double? RecomputeTokensPerSecond,
    double? KvCacheSpeedup,
    double BatchedTokensPerSecond,
    double BatchedSpeedup,
    double TrainBf16TokensPerSecond,
    double TrainBf16Mfu,
    double GenerationBf16TokensPerSecond,
    double? KvCacheSpeedupChatPrompt = null,
    int ChatPromptTokens = 0,
    double? GenerationTorchSharpStepTokensPerSecond = null,
    double? CsharpStepSpeedup = null,
    double DecodeBytesPerToken = 0,
    double GenerationGigabytesPerSecond = 0,
    double BatchedGigabytesPerSecond = 0);

/// <summary>
/// The PyTorch eager reference for one size. Training figures are medians of rounds alternating with
/// ours (null when the reference could not train); TrainBf16Ratio compares bf16 mixed with PyTorch's
/// CPU autocast, TrainBf16VsFp32Ratio our bf16 mixed with PyTorch eager float32.
/// </summary>
public sealed record PyTorchComparison(string Name, double? TrainTokensPerSecond, double GenerationTokensPerSecond, double? TrainRatio, double GenerationRatio,
    double? TrainBf16TokensPerSecond = null, double? TrainBf16Ratio = null, double? TrainBf16VsFp32Ratio = null);

public sealed record ModelBenchmarkResult(
    int Threads,
    IReadOnlyList<MatmulPoint> Matmul,
    double MatmulPeakGflops,
    IReadOnlyList<MatmulPoint> MatmulBf16,
    IReadOnlyList<SizeBenchmark> Sizes,
    long PeakWorkingSetBytes,
    IReadOnlyList<PyTorchComparison>? PyTorch,
    string? PyTorchError,
    double MatmulPeakEndGflops,
    double MemoryReadGigabytesPerSecond = 0);
