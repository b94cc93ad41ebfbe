using Pipeline.Contracts.Storage;

namespace Pipeline.Contracts.Messages;

public enum RewardModelKind
{
    Helpfulness,
    Safety,
}

/// <summary>New human preference data landed under preferences/incoming/&lt;batch&gt;/.</summary>
public sealed record PreferenceBatchLanded : PipelineMessage
{
    public required string BatchId { get; init; }
    public required IReadOnlyList<BlobReference> Files { get; init; }
}

public sealed record IterationStarted : PipelineMessage
{
    public required string BatchId { get; init; }
    /// <summary>The policy this iteration starts from; null before any policy was published.</summary>
    public BlobFolderReference? Policy { get; init; }
    public required IReadOnlyList<BlobReference> Preferences { get; init; }
}

public sealed record IterationCompleted : PipelineMessage
{
    public required BlobFolderReference Policy { get; init; }
    public required bool Promoted { get; init; }
    public BlobReference? Report { get; init; }
}

public sealed record IterationFailed : PipelineMessage
{
    public required string Stage { get; init; }
    public required string Reason { get; init; }
}

public sealed record TrainRewardModel : PipelineMessage
{
    public required RewardModelKind Kind { get; init; }
    public required IReadOnlyList<BlobReference> Preferences { get; init; }
    public required BlobFolderReference BaseModel { get; init; }
}

public sealed record RewardModelTrained : PipelineMessage
{
    public required RewardModelKind Kind { get; init; }
    public required BlobFolderReference Model { get; init; }
    public double? EvalAccuracy { get; init; }
}

/// <summary>Best-of-K generation for a prompt set, scored by the reward models.</summary>
public sealed record GenerateSamples : PipelineMessage
{
    public required BlobFolderReference Policy { get; init; }
    public required BlobReference Prompts { get; init; }
    public int SamplesPerPrompt { get; init; } = 4;
    public int MaxNewTokens { get; init; } = 64;
    public double Temperature { get; init; } = 1.0;
    public BlobFolderReference? HelpfulnessRewardModel { get; init; }
    public BlobFolderReference? SafetyRewardModel { get; init; }
    public int Seed { get; init; } = 1234;
}

public sealed record SamplesGenerated : PipelineMessage
{
    public required BlobReference Samples { get; init; }
    public required int Prompts { get; init; }
    public required int SamplesPerPrompt { get; init; }
}

public sealed record FineTuneOnSamples : PipelineMessage
{
    public required BlobFolderReference Policy { get; init; }
    public required BlobReference Samples { get; init; }
}

public sealed record RunPpo : PipelineMessage
{
    public required BlobFolderReference Policy { get; init; }
    public required BlobFolderReference HelpfulnessRewardModel { get; init; }
    public required BlobFolderReference SafetyRewardModel { get; init; }
    public required BlobReference Prompts { get; init; }
}

public sealed record DistillContext : PipelineMessage
{
    public required BlobFolderReference Policy { get; init; }
    public required BlobReference Prompts { get; init; }
}

public sealed record EvaluatePolicy : PipelineMessage
{
    public required BlobFolderReference Policy { get; init; }
    public BlobFolderReference? Baseline { get; init; }
}

public sealed record EvaluationCompleted : PipelineMessage
{
    public required BlobFolderReference Policy { get; init; }
    public required BlobReference Report { get; init; }
    public double? HelpfulnessWinRate { get; init; }
    public double? SafetyViolationRate { get; init; }
}
