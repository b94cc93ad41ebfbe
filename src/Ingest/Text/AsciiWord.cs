using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Pipeline.Ingest.Text;

/// <summary>
/// A short word's characters as two 64-bit values (four UTF-16 characters each), so that a word of up
/// to eight characters is compared with two integer compares, and ASCII is lower-cased in all four
/// characters at once. <see cref="Head"/> holds the first four characters, <see cref="Tail"/> the last
/// four (overlapping for words shorter than eight; for one to three characters, the first and last
/// one or two): equal heads and tails of equal-length words mean equal words.
/// </summary>
internal static class AsciiWord
{
    private const ulong HighBits = 0xFF80_FF80_FF80_FF80UL;
    private const ulong LaneOnes = 0x0001_0001_0001_0001UL;

    /// <summary>
    /// For a word of <paramref name="length"/> characters (0 to 8) read as two 4-character values, the
    /// bits of the first value that belong to the word: what zeroes the characters read past its end.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong FirstFourMask(int length) => FirstFour[length];

    /// <summary>As <see cref="FirstFourMask"/>, for the second value (characters 4 to 7).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong NextFourMask(int length) => NextFour[length];

    private static ReadOnlySpan<ulong> FirstFour => [0, 0xFFFF, 0xFFFF_FFFF, 0xFFFF_FFFF_FFFF, ~0UL, ~0UL, ~0UL, ~0UL, ~0UL];
    private static ReadOnlySpan<ulong> NextFour => [0, 0, 0, 0, 0, 0xFFFF, 0xFFFF_FFFF, 0xFFFF_FFFF_FFFF, ~0UL];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Head(ReadOnlySpan<char> word)
    {
        ref var first = ref Unsafe.As<char, byte>(ref MemoryMarshal.GetReference(word));
        return word.Length switch
        {
            >= 4 => Unsafe.ReadUnaligned<ulong>(ref first),
            >= 2 => Unsafe.ReadUnaligned<uint>(ref first),
            1 => word[0],
            _ => 0,
        };
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Tail(ReadOnlySpan<char> word)
    {
        ref var first = ref Unsafe.As<char, byte>(ref MemoryMarshal.GetReference(word));
        return word.Length switch
        {
            >= 4 => Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref first, (word.Length - 4) * 2)),
            >= 2 => Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref first, (word.Length - 2) * 2)),
            1 => word[0],
            _ => 0,
        };
    }

    /// <summary>Every character below 128.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsAscii(ulong characters) => (characters & HighBits) == 0;

    /// <summary>'A'..'Z' to 'a'..'z' in each character, anything else unchanged (ASCII characters only).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Lower(ulong characters)
    {
        // Per character c < 128: bit 7 of c + (128 - 'A') is set when c >= 'A', bit 7 of
        // c + (127 - 'Z') when c > 'Z'; neither sum carries into the next character.
        var atLeastA = characters + (128 - 'A') * LaneOnes;
        var aboveZ = characters + (127 - 'Z') * LaneOnes;
        var upper = atLeastA & ~aboveZ & (0x80 * LaneOnes);
        return characters | (upper >> 2);
    }
}
