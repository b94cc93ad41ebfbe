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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Append(ulong hash, char lowerCased) => hash * Prime + lowerCased;

    /// <summary>Hash of <paramref name="left"/> followed by a joiner character and then <paramref name="right"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Join(ulong left, char joiner, ulong right, int rightLength) => Append(left, joiner) * Powers[rightLength] + right;

    /// <summary>Hash of a lexicon key taken as it is (keys are stored lower-case).</summary>
    public static ulong Of(ReadOnlySpan<char> key)
    {
        ulong hash = 0;
        foreach (var c in key) hash = Append(hash, c);
        return hash;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static char ToLower(char c) => c < 128 ? (char)(char.IsAsciiLetterUpper(c) ? c | 0x20 : c) : char.ToLowerInvariant(c);

    private static ulong[] BuildPowers()
    {
        var powers = new ulong[MaxLength + 1];
        powers[0] = 1;
        for (var i = 1; i < powers.Length; i++) powers[i] = powers[i - 1] * Prime;
        return powers;
    }
}
