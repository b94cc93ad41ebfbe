using System.IO.Hashing;
using System.Numerics;
using System.Runtime.InteropServices;

namespace Pipeline.Dedup.Core;

/// <summary>
/// Turns normalised text into 64-bit shingle hashes. Each word is hashed once with XxHash3 and a
/// word n-gram's hash is an order-sensitive mix of its n word hashes, so the text is read once
/// rather than n times. A text shorter than one shingle yields one shingle of everything it has,
/// so short documents still get a signature.
/// </summary>
public sealed class Shingler(ShingleOptions options)
{
    private const ulong Golden = 0x9E3779B97F4A7C15;

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
        var n = Options.Size;
        Span<ulong> window = n <= 64 ? stackalloc ulong[n] : new ulong[n];
        var words = 0;
        var position = 0;
        while (position < text.Length)
        {
            while (position < text.Length && char.IsWhiteSpace(text[position])) position++;
            var start = position;
            while (position < text.Length && !char.IsWhiteSpace(text[position])) position++;
            if (position == start) break;

            // Ring buffer of the last n word hashes; slot words % n is the oldest.
            window[words % n] = XxHash3.HashToUInt64(MemoryMarshal.AsBytes(text[start..position]), (long)Options.Seed);
            words++;
            if (words >= n) into.Add(Combine(window, words % n, n));
        }
        if (words is > 0 && words < n) into.Add(Combine(window, 0, words));
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

    private ulong Combine(ReadOnlySpan<ulong> window, int oldest, int count)
    {
        var h = Options.Seed ^ ((ulong)count * Golden);
        for (var k = 0; k < count; k++)
        {
            h = BitOperations.RotateLeft(h, 27) ^ window[(oldest + k) % window.Length];
            h *= Golden;
        }
        return Mix(h);
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
