using System.IO.Hashing;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Pipeline.Ingest.Text;

/// <summary>
/// A 64-bit hash of a word's characters, computed inline: up to eight characters from two 8-byte
/// values (the characters, zero past the word's end), up to 16 with four overlapping reads, each then
/// mixed by a 128-bit multiply (as XxHash3 and wyhash hash short inputs); longer words with XxHash3.
/// The repetition filter hashes every word, and a library call per word was most of that work.
/// Case-sensitive and unverified, like the XxHash3 values it replaces: equal hashes are taken as equal
/// words, which a 64-bit mix makes as unlikely as it was before.
/// </summary>
public static class ShortTextHash
{
    private const ulong Secret0 = 0xA0761D6478BD642FUL;
    private const ulong Secret1 = 0xE7037ED1A0B428DBUL;
    private const ulong Secret2 = 0x8EBC6AF09C88C6E3UL;
    private const ulong Secret3 = 0x589965CC75374CC3UL;

    /// <summary>
    /// The hash of text[start..start+length). A word of up to eight characters with eight characters of
    /// text from its start is read with two loads and masked, without branching on its length (which
    /// varies from word to word and was mispredicted); the result equals <see cref="Of"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong At(ReadOnlySpan<char> text, int start, int length)
    {
        if (!AsciiWord.CanReadMasked(text.Length, start, length)) return Of(text.Slice(start, length));
        var (first, second) = AsciiWord.ReadMasked(text, start, length);
        return Short(first, second, length);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Of(ReadOnlySpan<char> text)
    {
        ref var start = ref Unsafe.As<char, byte>(ref MemoryMarshal.GetReference(text));
        var bytes = (uint)text.Length * 2;
        if (bytes > 32) return XxHash3.HashToUInt64(MemoryMarshal.AsBytes(text));
        if (bytes <= 16) return Short(text);
        // The first 16 and the last 16 bytes (overlapping when shorter than 32): every byte is read.
        var head = Mix(Unsafe.ReadUnaligned<ulong>(ref start) ^ Secret2, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, 8)) ^ Secret3);
        var first = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, bytes - 16)) ^ head;
        var last = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, bytes - 8));
        return Mix(first ^ Secret0, last ^ Secret1 ^ bytes);
    }

    /// <summary>Up to eight characters, gathered into two zero-padded 8-byte values.</summary>
    private static ulong Short(ReadOnlySpan<char> text)
    {
        var (first, second) = AsciiWord.Lanes(text);
        return Short(first, second, text.Length);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Short(ulong first, ulong second, int length) => Mix(first ^ Secret0, second ^ Secret1 ^ (uint)(length * 2));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Mix(ulong a, ulong b)
    {
        var high = Math.BigMul(a, b, out var low);
        return high ^ low;
    }
}
