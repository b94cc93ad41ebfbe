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
    double BatchedSpeedup);

public sealed record PyTorchComparison(string Name, double TrainTokensPerSecond, double GenerationTokensPerSecond, double TrainRatio, double GenerationRatio);

public sealed record ModelBenchmarkResult(
    int Threads,
    IReadOnlyList<MatmulPoint> Matmul,
    double MatmulPeakGflops,
    IReadOnlyList<SizeBenchmark> Sizes,
    long PeakWorkingSetBytes,
    IReadOnlyList<PyTorchComparison>? PyTorch,
    string? PyTorchError);
