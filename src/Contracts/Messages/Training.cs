using Pipeline.Contracts.Storage;

namespace Pipeline.Contracts.Messages;

/// <summary>Which recipe step produced a policy checkpoint.</summary>
public enum PolicyStage
{
    Pretrain,
    Sft,
    RejectionSampling,
    Ppo,
    ContextDistillation,
}

/// <summary>Train a Llama-architecture model from scratch on kept corpus shards.</summary>
public sealed record PretrainModel : PipelineMessage
{
    public required IReadOnlyList<BlobReference> Shards { get; init; }
    /// <summary>HF config.json for the model to initialise; null takes the trainer's default tiny model.</summary>
    public BlobReference? ModelConfig { get; init; }
    public int? MaxSteps { get; init; }
    public int Seed { get; init; } = 1234;
}

/// <summary>Supervised fine-tuning on a curated SFT dataset (optionally with Ghost Attention).</summary>
public sealed record TrainSft : PipelineMessage
{
    public required BlobFolderReference BaseModel { get; init; }
    public required BlobReference Train { get; init; }
    public BlobReference? Eval { get; init; }
    public bool GhostAttention { get; init; }
}

/// <summary>A new policy model folder (HF layout) is in the blob store.</summary>
public sealed record PolicyCheckpointPublished : PipelineMessage
{
    public required PolicyStage Stage { get; init; }
    public required BlobFolderReference Model { get; init; }
    public BlobFolderReference? ParentModel { get; init; }
    public long Steps { get; init; }
    public double? FinalLoss { get; init; }
    public BlobReference? TrainingReport { get; init; }
}
