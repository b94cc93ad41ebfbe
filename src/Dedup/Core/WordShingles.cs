using System.IO.Hashing;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Pipeline.Dedup.Core;

/// <summary>
/// The word n-gram definition. A word is a maximal run of non-whitespace characters of the
/// normalised text; its hash (see <see cref="Hash"/>) is computed once per word. An n-gram's hash combines its n word hashes, word k rotated left by 11·k bits so the
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
    public void Add(ReadOnlySpan<char> word) => _words[Count++] = Hash(word, Seed);

    /// <summary>Adds a word whose storage may be read up to 8 characters past its start (padded buffers): no copy for short words.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void AddPadded(ref char start, int length)
    {
        if (length > 8)
        {
            _words[Count++] = XxHash3.HashToUInt64(MemoryMarshal.AsBytes(MemoryMarshal.CreateReadOnlySpan(ref start, length)), (long)Seed);
            return;
        }
        ref var bytes = ref Unsafe.As<char, byte>(ref start);
        var low = Unsafe.ReadUnaligned<ulong>(ref bytes) & LowMask(length);
        var high = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref bytes, 8)) & LowMask(length - 4);
        _words[Count++] = ShortHash(low, high, length, Seed);
    }

    /// <summary>
    /// The word hash: words of up to 8 characters (16 bytes, most words) are read as two 64-bit
    /// lanes of UTF-16 code units, zero-padded, and mixed by multiplication and Murmur3's finaliser
    /// (a bijection of the lanes for words of up to 4 characters); longer words use XxHash3.
    /// </summary>
    internal static ulong Hash(ReadOnlySpan<char> word, ulong seed)
    {
        if (word.Length > 8) return XxHash3.HashToUInt64(MemoryMarshal.AsBytes(word), (long)seed);
        Span<char> padded = stackalloc char[8];
        padded.Clear();
        word.CopyTo(padded);
        var lanes = MemoryMarshal.Cast<char, ulong>(padded);
        return ShortHash(lanes[0], lanes[1], word.Length, seed);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong LowMask(int chars) => chars >= 4 ? ulong.MaxValue : chars <= 0 ? 0 : (1UL << (16 * chars)) - 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong ShortHash(ulong low, ulong high, int length, ulong seed)
        => Shingler.Mix(((low ^ seed) * 0x9FB21C651E98DF25) ^ BitOperations.RotateLeft((high + (ulong)length) * 0xC2B2AE3D27D4EB4F, 29));

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
