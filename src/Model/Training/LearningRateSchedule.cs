namespace Pipeline.Model.Training;

/// <summary>Linear warm-up to the peak, then cosine decay to MinRatio × peak at the last step.</summary>
public sealed record LearningRateSchedule(double Peak, int WarmupSteps, int TotalSteps, double MinRatio)
{
    /// <param name="step">0-based optimizer step.</param>
    public double At(int step)
    {
        if (step < WarmupSteps) return Peak * (step + 1) / WarmupSteps;
        var decaySteps = Math.Max(1, TotalSteps - WarmupSteps - 1);
        var progress = Math.Clamp((double)(step - WarmupSteps) / decaySteps, 0, 1);
        var min = Peak * MinRatio;
        return min + (Peak - min) * 0.5 * (1 + Math.Cos(Math.PI * progress));
    }
}
