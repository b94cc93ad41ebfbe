using Pipeline.Contracts.Storage;
using Pipeline.Dedup.Core;

namespace Pipeline.Dedup.Staged;

/// <summary>
/// Everything a stage needs to know about its run, written once (first writer wins) by whoever
/// takes the <c>DeduplicateCorpus</c> command, so every instance works from the same settings.
/// </summary>
public sealed record JobManifest
{
    public required Guid RunId { get; init; }
    public required IReadOnlyList<BlobReference> Shards { get; init; }
    public required double Threshold { get; init; }
    public required int NgramSize { get; init; }
    public required int Permutations { get; init; }
    public required ulong Seed { get; init; }
    public required ShingleKind ShingleKind { get; init; }
    public required NormalizationOptions Normalization { get; init; }
    public required int Bands { get; init; }
    public required int Rows { get; init; }
    public required int BandRanges { get; init; }
    /// <summary>Index folder for this layout: only runs with the same hashing settings compare.</summary>
    public required string IndexPrefix { get; init; }
    /// <summary>This run's segment number in the index (also the top bits of its document keys).</summary>
    public required int Segment { get; init; }

    public DedupSettings Settings() => new()
    {
        Normalization = Normalization,
        Shingles = new ShingleOptions { Kind = ShingleKind, Size = NgramSize },
        Permutations = Permutations,
        Seed = Seed,
        Threshold = Threshold,
        VerifyCandidates = false,
    };

    public LshParameters Lsh() => new(Bands, Rows);

    /// <summary>Bands [start, end) handled by one band range.</summary>
    public (int Start, int End) BandsOf(int range)
    {
        var perRange = (Bands + BandRanges - 1) / BandRanges;
        return (Math.Min(Bands, range * perRange), Math.Min(Bands, (range + 1) * perRange));
    }
}
