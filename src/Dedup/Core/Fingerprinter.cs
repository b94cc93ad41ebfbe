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
    private readonly WordShingles? _words = settings.Shingles.Kind == ShingleKind.Word ? new WordShingles(settings.Shingles.Size, settings.Shingles.Seed) : null;

    public DedupSettings Settings { get; } = settings;

    public Fingerprint Compute(string text) => Compute(text, out _);

    /// <param name="normalized">The canonical text, for callers that also need the exact shingle set.</param>
    public Fingerprint Compute(string text, out string normalized)
    {
        _shingles.Clear();
        if (_words is not null)
        {
            // One pass: the normaliser hands each output word to the shingle builder as it writes it.
            _words.Reset(_shingles);
            normalized = _normalizer.Normalize(text, _words);
        }
        else
        {
            normalized = _normalizer.Normalize(text);
            _shingler.Hash(normalized, _shingles);
        }
        var signature = new uint[Settings.Permutations];
        _minHasher.Compute(CollectionsMarshal.AsSpan(_shingles), signature);
        return new Fingerprint(ContentHash.Of(normalized), signature, _shingles.Count);
    }

    public ulong[] ShingleSet(string normalized) => _shingler.DistinctSorted(normalized);
}
