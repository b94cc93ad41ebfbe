namespace Pipeline.Cli.Commands;

/// <summary>Knobs of the demo; the defaults are what `./pipeline demo` runs.</summary>
internal sealed record DemoSettings
{
    /// <summary>Pretraining steps; null takes the trainer's demo default.</summary>
    public int? PretrainSteps { get; init; }
    public TimeSpan StageTimeout { get; init; } = TimeSpan.FromMinutes(20);
}
