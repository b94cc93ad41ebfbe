using System.Runtime.CompilerServices;

namespace Pipeline.Ingest.Text;

/// <summary>
/// Polynomial hash of a word's lower-cased characters, built one character at a time during a scan
/// (no lower-cased copy, no string). Polynomial so that the hash of "don" + "'" + "t" follows from the
/// parts: joined words are hashed without a second pass. Only a pre-filter: lexicon hits are verified.
/// </summary>
public static class WordHash
{
    private const ulong Prime = 0x100000001B3UL;
    public const int MaxLength = 64;
    private static readonly ulong[] Powers = BuildPowers();
    /// <summary>Prime^-k mod 2^64 for k = 0..8 (the prime is odd, so it has an inverse).</summary>
    private static readonly ulong[] InversePowers = BuildInversePowers();
    private const ulong P2 = unchecked(Prime * Prime), P3 = unchecked(P2 * Prime), P4 = unchecked(P3 * Prime), P5 = unchecked(P4 * Prime), P6 = unchecked(P5 * Prime), P7 = unchecked(P6 * Prime);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Append(ulong hash, char lowerCased) => hash * Prime + lowerCased;

    /// <summary>Hash of <paramref name="left"/> followed by a joiner character and then <paramref name="right"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Join(ulong left, char joiner, ulong right, int rightLength) => Append(left, joiner) * Powers[rightLength] + right;

    /// <summary>
    /// The hash of a word of 1 to 8 characters given as UTF-16 lanes, already lower-cased and zero past
    /// <paramref name="length"/>: characters 0..3 in <paramref name="first"/>, 4..7 in <paramref name="second"/>.
    /// Equal to appending them one by one, without the chain of eight dependent multiplies: the eight
    /// terms are summed as if the word were eight long, then divided by Prime^(8 - length) (a multiply
    /// by its inverse), since the zero lanes only shift the polynomial.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong OfPacked(ulong first, ulong second, int length)
    {
        var eight = (first & 0xFFFF) * P7 + ((first >> 16) & 0xFFFF) * P6 + ((first >> 32) & 0xFFFF) * P5 + (first >> 48) * P4
            + (second & 0xFFFF) * P3 + ((second >> 16) & 0xFFFF) * P2 + ((second >> 32) & 0xFFFF) * Prime + (second >> 48);
        return eight * InversePowers[8 - length];
    }

    /// <summary>Hash of a lexicon key taken as it is (keys are stored lower-case).</summary>
    public static ulong Of(ReadOnlySpan<char> key)
    {
        ulong hash = 0;
        foreach (var c in key) hash = Append(hash, c);
        return hash;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static char ToLower(char c) => c < 128 ? (char)(char.IsAsciiLetterUpper(c) ? c | 0x20 : c) : char.ToLowerInvariant(c);

    private static ulong[] BuildInversePowers()
    {
        // Newton's iteration for the inverse modulo 2^64: each step doubles the correct low bits.
        var inverse = Prime;
        for (var i = 0; i < 6; i++) inverse *= 2 - Prime * inverse;
        var powers = new ulong[9];
        powers[0] = 1;
        for (var i = 1; i < powers.Length; i++) powers[i] = powers[i - 1] * inverse;
        return powers;
    }

    private static ulong[] BuildPowers()
    {
        var powers = new ulong[MaxLength + 1];
        powers[0] = 1;
        for (var i = 1; i < powers.Length; i++) powers[i] = powers[i - 1] * Prime;
        return powers;
    }
}
