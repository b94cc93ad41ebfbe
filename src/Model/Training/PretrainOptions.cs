using System.ComponentModel.DataAnnotations;

namespace Pipeline.Model.Training;

/// <summary>Pretraining hyper-parameters; defaults are the Llama 2 recipe scaled to a tiny model.</summary>
public sealed record PretrainOptions
{
    [Range(2, 1 << 16)] public int SequenceLength { get; init; } = 128;
    [Range(1, 4096)] public int BatchSize { get; init; } = 8;
    [Range(1, 1024)] public int GradientAccumulationSteps { get; init; } = 1;
    [Range(1, int.MaxValue)] public int MaxSteps { get; init; } = 1000;
    public double PeakLearningRate { get; init; } = 3e-4;
    [Range(0, int.MaxValue)] public int WarmupSteps { get; init; } = 100;
    /// <summary>Cosine decay ends at this fraction of the peak (Llama 2: 10 %).</summary>
    public double MinLearningRateRatio { get; init; } = 0.1;
    public double WeightDecay { get; init; } = 0.1;
    public double Beta1 { get; init; } = 0.9;
    public double Beta2 { get; init; } = 0.95;
    public double Epsilon { get; init; } = 1e-5;
    public double GradientClip { get; init; } = 1.0;
    /// <summary>Evaluate held-out loss every N optimizer steps (0 = only at the end).</summary>
    public int EvalEvery { get; init; } = 100;
    public int EvalBatches { get; init; } = 4;
    /// <summary>Share of packed sequences held out for eval loss.</summary>
    public double EvalFraction { get; init; } = 0.05;
    /// <summary>Write a resumable checkpoint every N optimizer steps (0 = only at the end).</summary>
    public int CheckpointEvery { get; init; } = 200;
    /// <summary>Where checkpoints live; null disables checkpointing and resume.</summary>
    public string? CheckpointDirectory { get; init; }
    /// <summary>Continue from the latest checkpoint in <see cref="CheckpointDirectory"/> if there is one.</summary>
    public bool Resume { get; init; } = true;
    /// <summary>
    /// False (default, as Llama/GPT pretraining does): packed documents see earlier documents in the
    /// same sequence; EOS separates them and the fused causal kernel is used. True: block-diagonal
    /// mask and positions restarting at every document, so each document is modelled as if alone.
    /// </summary>
    public bool IsolateDocuments { get; init; }
    public long Seed { get; init; }
    /// <summary>
    /// Mixed precision: "bfloat16" runs the matmuls and attention in bf16 on float32 master weights
    /// (norms, residuals, loss and optimizer stay float32); null or empty keeps everything in the weights' dtype.
    /// </summary>
    public string? ComputeDtype { get; init; }
    public int LogEvery { get; init; } = 10;
    /// <summary>PNG of train/eval loss written at the end (and with each checkpoint); null = none.</summary>
    public string? LossCurvePath { get; init; }
}
