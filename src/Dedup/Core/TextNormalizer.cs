using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text;

namespace Pipeline.Dedup.Core;

/// <summary>
/// Rewrites text into the canonical form that exact hashing and shingling see. Punctuation becomes
/// a space (not nothing) so "end.Start" still splits into two words. With punctuation stripping
/// and whitespace collapsing on (the default) every character maps on its own, so a fast path maps
/// the text in one pass (16-character vectors for ASCII blocks, Unicode categories otherwise), then
/// copies the words down with single spaces and hands each word to the shingle builder. Other
/// options go through the per-character definition; both produce identical text and words (tested).
/// </summary>
public sealed class TextNormalizer
{
    private const byte Keep = 0, Space = 1, Punctuation = 2;
    private static readonly byte[] AsciiClass = BuildAsciiClasses();
    private static readonly char[] AsciiMapLower = BuildAsciiMap(lower: true), AsciiMapKeepCase = BuildAsciiMap(lower: false);

    public TextNormalizer(NormalizationOptions options) => Options = options;

    public NormalizationOptions Options { get; }

    /// <summary>Test hook: forces the per-character definition even for ASCII text.</summary>
    internal bool ScalarOnly { get; init; }

    public string Normalize(string text)
    {
        var rented = ArrayPool<char>.Shared.Rent(text.Length + Slack);
        try
        {
            var buffer = rented;
            var length = Normalize(text, ref buffer, null, text);
            return new string(buffer, 0, length);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// Normalises into <paramref name="buffer"/> (grown when too small) and returns the length; when
    /// <paramref name="words"/> is given it receives the output's word hashes.
    /// </summary>
    internal int Normalize(ReadOnlySpan<char> text, ref char[] buffer, WordShingles? words, string? textAsString = null)
    {
        if (Options.UnicodeCompatibilityFold && !Ascii.IsValid(text))
        {
            var whole = textAsString ?? new string(text);
            if (!whole.IsNormalized(NormalizationForm.FormKC)) text = whole.Normalize(NormalizationForm.FormKC);
        }
        // Slack past the text: the fast path copies words in 16-character vectors and reads short words as two 8-byte lanes.
        if (buffer.Length < text.Length + Slack) buffer = new char[Math.Max(text.Length + Slack, buffer.Length * 2)];
        if (!ScalarOnly && Options.StripPunctuation && Options.CollapseWhitespace) return NormalizeMapped(text, buffer, words);
        var length = NormalizeScalar(text, buffer);
        words?.AddWords(buffer.AsSpan(0, length));
        return length;
    }

    private const int Slack = 16;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int NormalizeMapped(ReadOnlySpan<char> text, char[] buffer, WordShingles? words)
    {
        var n = text.Length;
        var mapped = ArrayPool<char>.Shared.Rent(n + Slack);
        // One bit per mapped character, set where it is a space; the padding past the text counts as space,
        // so a word's end is always found without a bounds check.
        var spaces = ArrayPool<ulong>.Shared.Rent((n + Slack) / 64 + 1);
        try
        {
            MapCharacters(text, mapped, spaces, Options.Lowercase);
            mapped.AsSpan(n, Slack).Fill(' ');
            words?.Reset(n / 2 + 1);
            ref var from = ref MemoryMarshal.GetArrayDataReference(mapped);
            ref var to = ref MemoryMarshal.GetArrayDataReference(buffer);
            var write = 0;
            var read = NextWordStart(spaces, 0, n);
            while (read < n)
            {
                var length = NextSpace(spaces, read) - read;
                if (write > 0) buffer[write++] = ' ';
                if (length <= Slack && Vector256.IsHardwareAccelerated)
                    Vector256.LoadUnsafe(ref Unsafe.As<char, ushort>(ref from), (nuint)read).StoreUnsafe(ref Unsafe.As<char, ushort>(ref to), (nuint)write);
                else mapped.AsSpan(read, length).CopyTo(buffer.AsSpan(write));
                words?.AddPadded(ref Unsafe.Add(ref to, write), length);
                write += length;
                read = NextWordStart(spaces, read + length, n);
            }
            return write;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(mapped);
            ArrayPool<ulong>.Shared.Return(spaces);
        }
    }

    /// <summary>The first non-space position at or after <paramref name="from"/>, or <paramref name="limit"/> when there is none before it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int NextWordStart(ulong[] spaces, int from, int limit)
    {
        var index = from >> 6;
        var candidates = ~spaces[index] & (ulong.MaxValue << (from & 63));
        while (candidates == 0)
        {
            if (++index << 6 >= limit) return limit;
            candidates = ~spaces[index];
        }
        return Math.Min((index << 6) + BitOperations.TrailingZeroCount(candidates), limit);
    }

    /// <summary>The first space at or after <paramref name="from"/>; the padding guarantees one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int NextSpace(ulong[] spaces, int from)
    {
        var index = from >> 6;
        var candidates = spaces[index] & (ulong.MaxValue << (from & 63));
        while (candidates == 0) candidates = spaces[++index];
        return (index << 6) + BitOperations.TrailingZeroCount(candidates);
    }

    /// <summary>
    /// Every character on its own: kept (lower-cased on request) or, when whitespace or punctuation,
    /// a space. Blocks of ASCII go through vectors: letters and digits kept, ASCII punctuation,
    /// symbols and whitespace to a space, other control characters kept. <paramref name="spaces"/>
    /// receives a bit per character (set for a space), and every bit past the text is set.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MapCharacters(ReadOnlySpan<char> text, Span<char> into, ulong[] spaces, bool lower)
    {
        var source = MemoryMarshal.Cast<char, ushort>(text);
        var target = MemoryMarshal.Cast<char, ushort>(into);
        var spaceBits = MemoryMarshal.Cast<ulong, ushort>(spaces.AsSpan());
        var map = lower ? AsciiMapLower : AsciiMapKeepCase;
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref var s = ref MemoryMarshal.GetReference(source);
            ref var t = ref MemoryMarshal.GetReference(target);
            var space = Vector256.Create((ushort)' ');
            var caseBit = Vector256.Create((ushort)(lower ? 0x20 : 0));
            var letters = Vector256.Create((ushort)25);
            var digits = Vector256.Create((ushort)9);
            var whitespace = Vector256.Create((ushort)4);
            var nonAscii = Vector256.Create((ushort)0xFF80);
            for (; i + Vector256<ushort>.Count <= source.Length; i += Vector256<ushort>.Count)
            {
                var v = Vector256.LoadUnsafe(ref s, (nuint)i);
                Vector256<ushort> result;
                if ((v & nonAscii) != Vector256<ushort>.Zero)
                {
                    for (var k = i; k < i + Vector256<ushort>.Count; k++) target[k] = MapCharacter((char)source[k], map, lower);
                    result = Vector256.LoadUnsafe(ref t, (nuint)i);
                }
                else
                {
                    var upper = Vector256.LessThanOrEqual(v - Vector256.Create((ushort)'A'), letters);
                    var keep = upper
                        | Vector256.LessThanOrEqual(v - Vector256.Create((ushort)'a'), letters)
                        | Vector256.LessThanOrEqual(v - Vector256.Create((ushort)'0'), digits)
                        | Vector256.AndNot(Vector256.LessThan(v, space), Vector256.LessThanOrEqual(v - Vector256.Create((ushort)'\t'), whitespace))
                        | Vector256.Equals(v, Vector256.Create((ushort)0x7F));
                    result = Vector256.ConditionalSelect(keep, v | (upper & caseBit), space);
                    result.StoreUnsafe(ref t, (nuint)i);
                }
                // i is a multiple of 16 here, so the block's 16 bits are one aligned ushort of the bit array.
                spaceBits[i >> 4] = (ushort)Vector256.Equals(result, space).ExtractMostSignificantBits();
            }
        }
        // From here on every bit starts set (space) and the scalar tail clears the bits of kept characters.
        var firstTailWord = i >> 6;
        var vectorBits = (i & 63) == 0 ? 0 : spaces[firstTailWord] & ((1UL << (i & 63)) - 1);
        spaces.AsSpan(firstTailWord).Fill(ulong.MaxValue);
        spaces[firstTailWord] = (ulong.MaxValue << (i & 63)) | vectorBits;
        for (; i < source.Length; i++)
        {
            target[i] = MapCharacter((char)source[i], map, lower);
            if (target[i] != ' ') spaces[i >> 6] &= ~(1UL << (i & 63));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ushort MapCharacter(char c, char[] asciiMap, bool lower)
        => c < 128 ? asciiMap[c] : char.IsWhiteSpace(c) || IsPunctuation(c) ? ' ' : lower ? char.ToLowerInvariant(c) : c;

    /// <summary>The definition: one character at a time, Unicode categories for non-ASCII.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int NormalizeScalar(ReadOnlySpan<char> text, char[] buffer)
    {
        var length = 0;
        var pendingSpace = false;
        // Options copied to locals: the JIT cannot keep field loads out of a loop that writes an array.
        bool strip = Options.StripPunctuation, collapse = Options.CollapseWhitespace, lower = Options.Lowercase;
        var classes = AsciiClass;
        foreach (var raw in text)
        {
            var kind = raw < 128 ? classes[raw] : char.IsWhiteSpace(raw) ? Space : IsPunctuation(raw) ? Punctuation : Keep;
            var c = raw;
            if (kind == Punctuation && strip)
            {
                c = ' ';
                kind = Space;
            }
            if (kind == Space && collapse)
            {
                pendingSpace = length > 0;
                continue;
            }
            if (pendingSpace)
            {
                buffer[length++] = ' ';
                pendingSpace = false;
            }
            buffer[length++] = lower ? (c < 128 ? (char)(c is >= 'A' and <= 'Z' ? c | 0x20 : c) : char.ToLowerInvariant(c)) : c;
        }
        return length;
    }

    private static byte[] BuildAsciiClasses()
    {
        var classes = new byte[128];
        for (var c = 0; c < 128; c++)
            classes[c] = char.IsWhiteSpace((char)c) ? Space : IsPunctuation((char)c) ? Punctuation : Keep;
        return classes;
    }

    private static char[] BuildAsciiMap(bool lower)
    {
        var map = new char[128];
        for (var c = 0; c < 128; c++)
            map[c] = AsciiClass[c] != Keep ? ' ' : lower && c is >= 'A' and <= 'Z' ? (char)(c | 0x20) : (char)c;
        return map;
    }

    private static bool IsPunctuation(char c) => char.GetUnicodeCategory(c) switch
    {
        UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation
            or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
            or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation
            or UnicodeCategory.MathSymbol or UnicodeCategory.CurrencySymbol or UnicodeCategory.ModifierSymbol => true,
        _ => false,
    };
}
