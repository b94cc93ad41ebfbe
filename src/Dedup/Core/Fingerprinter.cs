using System.Runtime.InteropServices;

namespace Pipeline.Dedup.Core;

/// <summary>
/// Normalise, hash, shingle and MinHash one document. Holds a reusable shingle buffer, so use one
/// instance per thread.
/// </summary>
public sealed class Fingerprinter(DedupSettings settings)
{
    private readonly TextNormalizer _normalizer = new(settings.Normalization);
    private readonly Shingler _shingler = new(settings.Shingles);
    private readonly MinHasher _minHasher = new(settings.Permutations, settings.Seed);
    private readonly List<ulong> _shingles = new(4096);

    public DedupSettings Settings { get; } = settings;

    public Fingerprint Compute(string text) => Compute(text, out _);

    /// <param name="normalized">The canonical text, for callers that also need the exact shingle set.</param>
    public Fingerprint Compute(string text, out string normalized)
    {
        normalized = _normalizer.Normalize(text);
        _shingles.Clear();
        _shingler.Hash(normalized, _shingles);
        var signature = new uint[Settings.Permutations];
        _minHasher.Compute(CollectionsMarshal.AsSpan(_shingles), signature);
        return new Fingerprint(ContentHash.Of(normalized), signature, _shingles.Count);
    }

    public ulong[] ShingleSet(string normalized) => _shingler.DistinctSorted(normalized);
}
