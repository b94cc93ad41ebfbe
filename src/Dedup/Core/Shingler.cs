using System.IO.Hashing;
using System.Numerics;
using System.Runtime.InteropServices;

namespace Pipeline.Dedup.Core;

/// <summary>
/// Turns normalised text into 64-bit shingle hashes. Each word is hashed once with XxHash3 (see
/// <see cref="WordShingles"/>) and a word n-gram's hash is an order-sensitive mix of its n word
/// hashes, so the text is hashed once rather than n times; character n-grams use XxHash3. A text shorter than one shingle yields one shingle of everything it has,
/// so short documents still get a signature.
/// </summary>
public sealed class Shingler(ShingleOptions options)
{
    public ShingleOptions Options { get; } = options.Size >= 1 ? options : throw new ArgumentOutOfRangeException(nameof(options), "Shingle size must be at least 1.");

    /// <summary>Appends the shingle hashes of <paramref name="normalizedText"/> (duplicates included) to <paramref name="into"/>.</summary>
    public void Hash(ReadOnlySpan<char> normalizedText, List<ulong> into)
    {
        if (Options.Kind == ShingleKind.Character) HashCharacters(normalizedText, into);
        else HashWords(normalizedText, into);
    }

    /// <summary>The distinct shingle hashes, sorted: the set exact Jaccard is computed on.</summary>
    public ulong[] DistinctSorted(ReadOnlySpan<char> normalizedText)
    {
        var hashes = new List<ulong>();
        Hash(normalizedText, hashes);
        var span = CollectionsMarshal.AsSpan(hashes);
        span.Sort();
        var distinct = 0;
        for (var i = 0; i < span.Length; i++)
        {
            if (i == 0 || span[i] != span[distinct - 1]) span[distinct++] = span[i];
        }
        return span[..distinct].ToArray();
    }

    private void HashWords(ReadOnlySpan<char> text, List<ulong> into)
    {
        var words = new WordShingles(Options.Size, Options.Seed);
        words.AddWords(text);
        var start = into.Count;
        CollectionsMarshal.SetCount(into, start + words.ShingleCount);
        words.Combine(CollectionsMarshal.AsSpan(into)[start..]);
    }

    private void HashCharacters(ReadOnlySpan<char> text, List<ulong> into)
    {
        var n = Options.Size;
        if (text.IsEmpty) return;
        if (text.Length < n)
        {
            into.Add(XxHash3.HashToUInt64(MemoryMarshal.AsBytes(text), (long)Options.Seed));
            return;
        }
        for (var i = 0; i + n <= text.Length; i++)
            into.Add(XxHash3.HashToUInt64(MemoryMarshal.AsBytes(text.Slice(i, n)), (long)Options.Seed));
    }

    /// <summary>Murmur3's finaliser: spreads every input bit over the whole word.</summary>
    internal static ulong Mix(ulong h)
    {
        h ^= h >> 33;
        h *= 0xFF51AFD7ED558CCD;
        h ^= h >> 33;
        h *= 0xC4CEB93FE1A85EC9;
        h ^= h >> 33;
        return h;
    }
}
