using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace Pipeline.Dedup.Core;

/// <summary>
/// Normalise, hash, shingle and MinHash one document. Holds reusable text, word and shingle
/// buffers, so use one instance per thread.
/// </summary>
public sealed class Fingerprinter(DedupSettings settings)
{
    private readonly TextNormalizer _normalizer = new(settings.Normalization);
    private readonly Shingler _shingler = new(settings.Shingles);
    private readonly MinHasher _minHasher = new(settings.Permutations, settings.Seed);
    private readonly List<ulong> _characterShingles = new(4096);
    private readonly WordShingles? _words = settings.Shingles.Kind == ShingleKind.Word ? new WordShingles(settings.Shingles.Size, settings.Shingles.Seed) : null;
    private char[] _text = new char[4096];
    private ulong[] _shingles = new ulong[1024];

    public DedupSettings Settings { get; } = settings;

    public Fingerprint Compute(string text) => Compute(text, text, false, out _);

    /// <summary>Fingerprints text held in a caller's buffer (no string needed).</summary>
    public Fingerprint Compute(ReadOnlySpan<char> text) => Compute(text, null, false, out _);

    /// <param name="normalized">The canonical text, for callers that also need the exact shingle set.</param>
    public Fingerprint Compute(string text, out string normalized)
    {
        var fingerprint = Compute(text, text, true, out var canonical);
        normalized = canonical!;
        return fingerprint;
    }

    private Fingerprint Compute(ReadOnlySpan<char> text, string? textAsString, bool wantText, out string? normalized)
    {
        ReadOnlySpan<ulong> shingles;
        int length;
        if (_words is not null)
        {
            // One pass: the normaliser hands each output word to the shingle builder as it writes it.
            length = _normalizer.Normalize(text, ref _text, _words, textAsString);
            var count = _words.ShingleCount;
            if (_shingles.Length < count) _shingles = new ulong[Math.Max(count, _shingles.Length * 2)];
            _words.Combine(_shingles);
            shingles = _shingles.AsSpan(0, count);
        }
        else
        {
            length = _normalizer.Normalize(text, ref _text, null, textAsString);
            _characterShingles.Clear();
            _shingler.Hash(_text.AsSpan(0, length), _characterShingles);
            shingles = CollectionsMarshal.AsSpan(_characterShingles);
        }
        var canonical = _text.AsSpan(0, length);
        normalized = wantText ? new string(canonical) : null;
        var signature = new uint[Settings.Permutations];
        _minHasher.Compute(shingles, signature);
        return new Fingerprint(XxHash128.HashToUInt128(MemoryMarshal.AsBytes(canonical)), signature, shingles.Length);
    }

    public ulong[] ShingleSet(string normalized) => _shingler.DistinctSorted(normalized);
}
