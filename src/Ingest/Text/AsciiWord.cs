using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Pipeline.Ingest.Text;

/// <summary>
/// A short word's characters as two 64-bit values of four UTF-16 characters each (the first four and
/// the next four, zero past the word's end), so that a word of up to eight characters is hashed or
/// compared with a few integer operations, and ASCII is lower-cased in four characters at once.
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

    /// <summary>Whether <see cref="ReadMasked"/> may read text[start..start+length): at most eight characters, and eight characters of text from its start.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool CanReadMasked(int textLength, int start, int length) => length <= 8 && start + 8 <= textLength;

    /// <summary>
    /// The two values of text[start..start+length) from two 8-byte reads, masked to the word (see
    /// <see cref="CanReadMasked"/>): no loop and no branch on the length, which varies from word to
    /// word and was mispredicted.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (ulong First, ulong Next) ReadMasked(ReadOnlySpan<char> text, int start, int length)
    {
        ref var at = ref Unsafe.As<char, byte>(ref Unsafe.Add(ref MemoryMarshal.GetReference(text), start));
        return (Unsafe.ReadUnaligned<ulong>(ref at) & FirstFourMask(length), Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref at, 8)) & NextFourMask(length));
    }

    /// <summary>
    /// The two values of a word of up to eight characters, gathered one character at a time: for a
    /// word without eight characters of text from its start, where the masked reads would run past the text.
    /// </summary>
    public static (ulong First, ulong Next) Lanes(ReadOnlySpan<char> word)
    {
        ulong first = 0, next = 0;
        for (var i = 0; i < word.Length; i++)
        {
            if (i < 4) first |= (ulong)word[i] << (16 * i);
            else next |= (ulong)word[i] << (16 * (i - 4));
        }
        return (first, next);
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
