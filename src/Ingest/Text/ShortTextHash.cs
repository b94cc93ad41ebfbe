using System.IO.Hashing;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Pipeline.Ingest.Text;

/// <summary>
/// A 64-bit hash of a word's characters, computed inline: up to 16 characters with two or four
/// overlapping reads (<see cref="AsciiWord"/>'s head and tail up to eight) and a 128-bit multiply (as XxHash3 and wyhash hash short inputs), longer words
/// with XxHash3. The repetition filter hashes every word, and a library call per word was most of
/// that work. Case-sensitive and unverified, like the XxHash3 values it replaces: equal hashes are
/// taken as equal words, which a 64-bit mix makes as unlikely as it was before.
/// </summary>
public static class ShortTextHash
{
    private const ulong Secret0 = 0xA0761D6478BD642FUL;
    private const ulong Secret1 = 0xE7037ED1A0B428DBUL;
    private const ulong Secret2 = 0x8EBC6AF09C88C6E3UL;
    private const ulong Secret3 = 0x589965CC75374CC3UL;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Of(ReadOnlySpan<char> text)
    {
        ref var start = ref Unsafe.As<char, byte>(ref MemoryMarshal.GetReference(text));
        var bytes = (uint)text.Length * 2;
        ulong first, last;
        if (bytes > 32) return XxHash3.HashToUInt64(MemoryMarshal.AsBytes(text));
        if (bytes > 16)
        {
            // The first 16 and the last 16 bytes (overlapping when shorter than 32): every byte is read.
            var head = Mix(Unsafe.ReadUnaligned<ulong>(ref start) ^ Secret2, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, 8)) ^ Secret3);
            first = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, bytes - 16)) ^ head;
            last = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, bytes - 8));
        }
        else
        {
            // Up to eight characters: the first and the last four (overlapping), as word tables compare them.
            first = AsciiWord.Head(text);
            last = AsciiWord.Tail(text);
        }
        return Mix(first ^ Secret0, last ^ Secret1 ^ bytes);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Mix(ulong a, ulong b)
    {
        var high = Math.BigMul(a, b, out var low);
        return high ^ low;
    }
}
