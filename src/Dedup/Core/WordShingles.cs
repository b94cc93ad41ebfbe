using System.IO.Hashing;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Pipeline.Dedup.Core;

/// <summary>
/// The word n-gram definition. A word is a maximal run of non-whitespace characters of the
/// normalised text; its hash is 64-bit XxHash3 of its UTF-16 code units (seeded), computed once
/// per word. An n-gram's hash combines its n word hashes, word k rotated left by 11·k bits so the
/// mix is order-sensitive, and ends with Murmur3's finaliser; a text of fewer than n words yields
/// one shingle of all its words. Holds reusable buffers, so use one instance per thread.
/// </summary>
internal sealed class WordShingles(int size, ulong seed)
{
    private const ulong Golden = 0x9E3779B97F4A7C15;
    private ulong[] _words = new ulong[256];

    public int Size { get; } = size;
    public ulong Seed { get; } = seed;
    public int Count { get; private set; }

    public ReadOnlySpan<ulong> WordHashes => _words.AsSpan(0, Count);

    /// <summary>Starts a text of at most <paramref name="maxWords"/> words.</summary>
    public void Reset(int maxWords)
    {
        Count = 0;
        if (_words.Length < maxWords) _words = new ulong[Math.Max(maxWords, _words.Length * 2)];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(ReadOnlySpan<char> word)
        => _words[Count++] = XxHash3.HashToUInt64(MemoryMarshal.AsBytes(word), (long)Seed);

    /// <summary>Splits normalised text on whitespace and hashes its words (the scalar definition).</summary>
    public void AddWords(ReadOnlySpan<char> text)
    {
        Reset(text.Length / 2 + 1);
        var start = -1;
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsWhiteSpace(text[i]))
            {
                if (start >= 0) Add(text[start..i]);
                start = -1;
            }
            else if (start < 0) start = i;
        }
        if (start >= 0) Add(text[start..]);
    }

    /// <summary>How many shingles <see cref="Combine"/> writes for the current words.</summary>
    public int ShingleCount => Count == 0 ? 0 : Count < Size ? 1 : Count - Size + 1;

    /// <summary>Writes the n-gram hashes of the current words into <paramref name="into"/> (<see cref="ShingleCount"/> slots).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Combine(Span<ulong> into)
    {
        var words = WordHashes;
        if (words.IsEmpty) return;
        if (words.Length < Size)
        {
            into[0] = Mix(words, Seed);
            return;
        }
        var count = words.Length - Size + 1;
        into = into[..count];
        if (Size == 5)
        {
            var start = Seed ^ unchecked(5UL * Golden);
            for (var i = 0; i < into.Length; i++)
            {
                var h = start ^ words[i] ^ BitOperations.RotateLeft(words[i + 1], 11) ^ BitOperations.RotateLeft(words[i + 2], 22)
                    ^ BitOperations.RotateLeft(words[i + 3], 33) ^ BitOperations.RotateLeft(words[i + 4], 44);
                into[i] = Shingler.Mix(h);
            }
            return;
        }
        for (var i = 0; i < into.Length; i++) into[i] = Mix(words.Slice(i, Size), Seed);
    }

    private static ulong Mix(ReadOnlySpan<ulong> words, ulong seed)
    {
        var h = seed ^ ((ulong)words.Length * Golden);
        for (var k = 0; k < words.Length; k++) h ^= BitOperations.RotateLeft(words[k], (11 * k) & 63);
        return Shingler.Mix(h);
    }
}
