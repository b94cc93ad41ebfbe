using System.ComponentModel.DataAnnotations;

namespace Pipeline.Trainers.Pretraining;

/// <summary>Section <c>Pretraining</c>; every value has an environment form (Pretraining__MaxSteps=...).</summary>
public sealed class PretrainingOptions
{
    public const string Section = "Pretraining";

    public string ModelContainer { get; set; } = "models";
    /// <summary>Local scratch: downloaded shards, resumable checkpoints (a redelivered message resumes), the model folder.</summary>
    public string WorkDirectory { get; set; } = ".pipeline/work/pretrain";
    /// <summary>gpt2 (bundled), or a path to tokenizer.json / tokenizer.model.</summary>
    public string Tokenizer { get; set; } = "gpt2";
    [Range(1, 10_000_000)] public int MaxSteps { get; set; } = 300;
    [Range(8, 65_536)] public int SequenceLength { get; set; } = 128;
    [Range(1, 4096)] public int BatchSize { get; set; } = 8;
    [Range(1, 1024)] public int GradientAccumulationSteps { get; set; } = 1;
    [Range(1e-7, 1)] public double PeakLearningRate { get; set; } = 2e-3;
    [Range(0, 1_000_000)] public int WarmupSteps { get; set; } = 30;
    [Range(1, 1_000_000)] public int CheckpointEvery { get; set; } = 100;
    [Range(1, 1_000_000)] public int EvalEvery { get; set; } = 50;
    public bool IsolateDocuments { get; set; }
    /// <summary>Torch intra-op threads (0 = libtorch default).</summary>
    [Range(0, 1024)] public int Threads { get; set; }
    public string Device { get; set; } = "cpu";
    /// <summary>
    /// Mixed precision: "bfloat16" runs matmuls and attention in bf16 on float32 weights (fast on CPUs
    /// with AMX / AVX512-BF16 and on GPUs; measured no gain for the demo's tiny model). Empty: float32.
    /// </summary>
    [RegularExpression("^(|float32|fp32|bfloat16|bf16|float16|fp16)$", ErrorMessage = "Pretraining:ComputeDtype must be empty, float32, bfloat16 or float16")]
    public string? ComputeDtype { get; set; }
}
