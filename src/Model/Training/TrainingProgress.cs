namespace Pipeline.Model.Training;

/// <summary>One progress report; EvalLoss is set on steps where evaluation ran.</summary>
public sealed record TrainingProgress(
    int Step,
    int TotalSteps,
    double Loss,
    double LearningRate,
    double GradientNorm,
    double TokensPerSecond,
    TimeSpan Eta,
    double? EvalLoss);

public sealed record LossPoint(int Step, double Loss);

public sealed record PretrainResult(
    int Steps,
    double FinalLoss,
    double? FinalEvalLoss,
    IReadOnlyList<LossPoint> TrainLosses,
    IReadOnlyList<LossPoint> EvalLosses,
    double TokensPerSecond,
    string? CheckpointPath,
    int? ResumedFromStep);
