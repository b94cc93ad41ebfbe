using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Pipeline.Ingest.Steps;

/// <summary>
/// What language identification counts while it walks the words: letters per script, Latin and
/// Cyrillic words and their stop-word hits, and each Latin language's score. Both word sources (the
/// shared letter runs, or the identifier's own scan of text with Han/kana) feed it the same words in
/// the same order, so the scores are the same sums.
/// </summary>
internal ref struct LanguageTally(Span<double> scores, LanguageProfiles profiles)
{
    /// <summary>Longer words are never looked up (no stop word is that long).</summary>
    private const int MaxWordLength = 64;
    /// <summary>1/n for a stop word shared by n languages (a division per word was a visible share of the step).</summary>
    private static readonly double[] ShareWeights = Enumerable.Range(0, 33).Select(n => n == 0 ? 0 : 1.0 / n).ToArray();

    public readonly Span<double> Scores = scores;
    public int Latin, Cyrillic, Cjk, Kana, OtherScript;
    public int LatinTokens, LatinHits, CyrillicTokens, RussianHits;

    /// <summary>One word, text[start..start+length): its lower-cased <see cref="Text.WordHash"/>, and whether any character is non-ASCII.</summary>
    // Inlined into the word loops: called once per word, the call's cost was a visible share of the step.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void AddWord(ReadOnlySpan<char> text, int start, int length, ulong hash, bool nonAscii)
    {
        var word = text.Slice(start, length);
        var script = ScriptOf(word[0]);
        if (script == Script.Latin)
        {
            Latin += word.Length;
            LatinTokens++;
            if (nonAscii)
            {
                foreach (var letter in word)
                {
                    if (letter > 127) AddLetterHints(letter, Scores);
                }
            }
            if (word.Length <= MaxWordLength)
            {
                // A miss leaves the mask 0 and adds 0.0, which changes no score (they are never -0.0):
                // branching on hit or miss, and on each language of a hit, was mispredicted most per word.
                var hit = profiles.LatinLookup.TryGet(hash, text, start, length, out var mask);
                LatinHits += hit ? 1 : 0;
                AddShares(Scores, (uint)mask);
            }
        }
        else if (script == Script.Cyrillic)
        {
            Cyrillic += word.Length;
            CyrillicTokens++;
            if (word.Length <= MaxWordLength && profiles.RussianLookup.Contains(hash, text, start, length)) RussianHits++;
        }
        else
        {
            OtherScript += word.Length;
        }
    }

    /// <summary>Adds 1/n to the score of each of the n languages in <paramref name="mask"/> (0 to the others).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddShares(Span<double> scores, uint mask)
    {
        var weight = ShareWeights[BitOperations.PopCount(mask)];
        if (Vector256.IsHardwareAccelerated && scores.Length == 8)
        {
            ref var first = ref MemoryMarshal.GetReference(scores);
            var weights = Vector256.Create(weight);
            var bits = Vector256.Create((long)mask);
            var low = Vector256.Equals(bits & Vector256.Create(1L, 2, 4, 8), Vector256<long>.Zero).AsDouble();
            var high = Vector256.Equals(bits & Vector256.Create(16L, 32, 64, 128), Vector256<long>.Zero).AsDouble();
            (Vector256.LoadUnsafe(ref first) + Vector256.AndNot(weights, low)).StoreUnsafe(ref first);
            (Vector256.LoadUnsafe(ref first, 4) + Vector256.AndNot(weights, high)).StoreUnsafe(ref first, 4);
            return;
        }
        for (var bits = mask; bits != 0; bits &= bits - 1) scores[BitOperations.TrailingZeroCount(bits)] += weight;
    }

    private enum Script { Latin, Cyrillic, Other }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Script ScriptOf(char c) => c switch
    {
        < '\u0250' => Script.Latin,
        >= '\u1e00' and <= '\u1eff' => Script.Latin,
        >= '\u0400' and <= '\u04ff' => Script.Cyrillic,
        _ => Script.Other,
    };

    /// <summary>Letters used by only some of the Latin-script languages; indexes follow <see cref="LanguageProfiles.Latin"/>.</summary>
    private static void AddLetterHints(char c, Span<double> scores)
    {
        const int de = 1, fr = 2, es = 3, it = 4, pt = 6, sv = 7;
        switch (char.ToLowerInvariant(c))
        {
            case 'ß': scores[de] += 1; break;
            case 'ü': scores[de] += 0.5; break;
            case 'ä': case 'ö': scores[de] += 0.25; scores[sv] += 0.25; break;
            case 'å': scores[sv] += 0.5; break;
            case 'ñ': scores[es] += 0.5; break;
            case 'ã': case 'õ': scores[pt] += 0.5; break;
            case 'ç': scores[pt] += 0.25; scores[fr] += 0.25; break;
            case 'ê': case 'â': case 'î': case 'û': case 'ë': case 'ï': case 'œ': scores[fr] += 0.3; break;
            case 'è': case 'à': scores[fr] += 0.15; scores[it] += 0.15; break;
            case 'ò': case 'ù': case 'ì': scores[it] += 0.3; break;
            case 'á': case 'í': case 'ó': case 'ú': scores[es] += 0.1; scores[pt] += 0.1; break;
        }
    }
}
