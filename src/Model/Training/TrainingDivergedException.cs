namespace Pipeline.Model.Training;

/// <summary>Loss or gradient became NaN/Inf; training stopped without touching the last good checkpoint.</summary>
public sealed class TrainingDivergedException(int step, string what, string? lastGoodCheckpoint)
    : Exception($"Training diverged at step {step}: {what} is not finite. "
        + (lastGoodCheckpoint is null ? "No checkpoint was written yet." : $"Last good checkpoint kept at {lastGoodCheckpoint}."))
{
    public int Step { get; } = step;
    public string? LastGoodCheckpoint { get; } = lastGoodCheckpoint;
}
