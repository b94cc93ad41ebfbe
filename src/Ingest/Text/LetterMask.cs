using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Pipeline.Ingest.Text;

/// <summary>
/// Which of 64 characters are letters, as the bits of one ulong (bit k for character k). ASCII blocks
/// are classified 16 or 8 characters per vector compare; a block with any non-ASCII character is
/// classified one character at a time (<see cref="char.IsLetter(char)"/>), as the scalar scan does.
/// With a mask, a run's start and end are trailing-zero counts instead of a branch per character.
/// </summary>
internal static class LetterMask
{
    public const int Width = 64;

    /// <summary>The letter bits of <paramref name="chars"/>[0..64) (at least 64 characters).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Of(ReadOnlySpan<char> chars)
    {
        ref var first = ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(chars));
        if (Vector256.IsHardwareAccelerated)
        {
            var v0 = Vector256.LoadUnsafe(ref first);
            var v1 = Vector256.LoadUnsafe(ref first, 16);
            var v2 = Vector256.LoadUnsafe(ref first, 32);
            var v3 = Vector256.LoadUnsafe(ref first, 48);
            if (((v0 | v1 | v2 | v3) & Vector256.Create((ushort)0xFF80)) != Vector256<ushort>.Zero) return OneByOne(chars);
            var low = Vector256.Narrow(AsciiLetters(v0), AsciiLetters(v1)).ExtractMostSignificantBits();
            var high = Vector256.Narrow(AsciiLetters(v2), AsciiLetters(v3)).ExtractMostSignificantBits();
            return low | (ulong)high << 32;
        }
        if (Vector128.IsHardwareAccelerated)
        {
            ulong mask = 0;
            for (var block = 0; block < Width; block += 16)
            {
                var v0 = Vector128.LoadUnsafe(ref first, (nuint)block);
                var v1 = Vector128.LoadUnsafe(ref first, (nuint)block + 8);
                if (((v0 | v1) & Vector128.Create((ushort)0xFF80)) != Vector128<ushort>.Zero) return OneByOne(chars);
                mask |= (ulong)Vector128.Narrow(AsciiLetters(v0), AsciiLetters(v1)).ExtractMostSignificantBits() << block;
            }
            return mask;
        }
        return OneByOne(chars);
    }

    /// <summary>All lanes below 128: 'a'..'z' after setting the lower-case bit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ushort> AsciiLetters(Vector256<ushort> chars)
    {
        var lower = (chars | Vector256.Create((ushort)0x20)).AsInt16();
        return (Vector256.GreaterThan(lower, Vector256.Create((short)('a' - 1))) & Vector256.LessThan(lower, Vector256.Create((short)('z' + 1)))).AsUInt16();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<ushort> AsciiLetters(Vector128<ushort> chars)
    {
        var lower = (chars | Vector128.Create((ushort)0x20)).AsInt16();
        return (Vector128.GreaterThan(lower, Vector128.Create((short)('a' - 1))) & Vector128.LessThan(lower, Vector128.Create((short)('z' + 1)))).AsUInt16();
    }

    private static ulong OneByOne(ReadOnlySpan<char> chars)
    {
        ulong mask = 0;
        for (var k = 0; k < Width; k++)
        {
            if (LetterWords.LowerLetter(chars[k]) != 0) mask |= 1UL << k;
        }
        return mask;
    }
}
