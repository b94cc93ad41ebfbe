namespace Pipeline.Contracts.Messages;

/// <summary>
/// Correlation every message carries so logs, lineage and Seq queries can follow one run and one
/// RLHF iteration across services.
/// </summary>
public abstract record PipelineMessage
{
    /// <summary>One end-to-end pipeline run (a demo run, a corpus build, an RLHF campaign).</summary>
    public required Guid RunId { get; init; }
    /// <summary>RLHF iteration (1 = V1, ...); null outside the iterative stages.</summary>
    public int? IterationId { get; init; }
    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;
}
