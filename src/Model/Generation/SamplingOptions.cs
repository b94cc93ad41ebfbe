namespace Pipeline.Model.Generation;

/// <summary>
/// How tokens are chosen. Temperature 0 is greedy. TopK 0 and TopP 1 disable those filters.
/// StopIds default to the model's eos_token_id.
/// </summary>
public sealed record SamplingOptions
{
    public int MaxNewTokens { get; init; } = 64;
    public double Temperature { get; init; } = 1.0;
    public double TopP { get; init; } = 1.0;
    public int TopK { get; init; }
    public long Seed { get; init; }
    public IReadOnlyCollection<int>? StopIds { get; init; }

    /// <summary>False recomputes the whole sequence every step (only for benchmarks and tests).</summary>
    public bool UseKvCache { get; init; } = true;
}
