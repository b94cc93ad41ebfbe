using System.ComponentModel.DataAnnotations;

namespace Pipeline.Dedup.Contamination;

/// <summary>Llama 2 Appendix A.6 settings; the paper's values are the defaults.</summary>
public sealed record ContaminationOptions
{
    /// <summary>A benchmark token is contaminated when it lies in a shared span of at least this many tokens.</summary>
    [Range(1, 1000)] public int MinMatchTokens { get; init; } = 10;
    /// <summary>Mismatched tokens a span may contain (skip-gram budget); never in the first MinMatchTokens, never trailing.</summary>
    [Range(0, 100)] public int SkipBudget { get; init; } = 4;
    /// <summary>Below this contaminated share a sample is clean; at or above it, not clean.</summary>
    public double CleanBelow { get; init; } = 0.2;
    /// <summary>At or above this share a sample is dirty; below it, not dirty.</summary>
    public double DirtyAtLeast { get; init; } = 0.8;
    /// <summary>Matching corpus document ids listed per sample (the count is always complete).</summary>
    public int MaxDocumentIdsPerSample { get; init; } = 20;
}
