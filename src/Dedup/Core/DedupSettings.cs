using System.ComponentModel.DataAnnotations;

namespace Pipeline.Dedup.Core;

/// <summary>Everything that decides whether two documents are duplicates; section <c>Dedup</c>.</summary>
public sealed record DedupSettings
{
    public const string Section = "Dedup";

    public NormalizationOptions Normalization { get; init; } = NormalizationOptions.Default;
    public ShingleOptions Shingles { get; init; } = new();
    [Range(1, 1024)] public int Permutations { get; init; } = 128;
    public ulong Seed { get; init; } = 0x11A3A2;
    /// <summary>Target Jaccard similarity: pairs at or above it are near duplicates.</summary>
    [Range(0.01, 0.99)] public double Threshold { get; init; } = 0.8;
    /// <summary>
    /// Recompute the exact Jaccard of each LSH candidate pair from its shingle sets and drop pairs
    /// below the threshold (fewer false positives, at the cost of keeping shingle sets in memory).
    /// </summary>
    public bool VerifyCandidates { get; init; } = true;

    public LshParameters Lsh() => LshParameters.Choose(Threshold, Permutations);
}
