using System.Numerics;
using System.Runtime.CompilerServices;
using Pipeline.Ingest.Text;

namespace Pipeline.Ingest.Steps;

/// <summary>
/// Script first (Han -> zh, Cyrillic -> ru, other non-Latin scripts -> unknown), then for Latin text a
/// vote of stop words weighted by 1/(number of languages that share the word), plus letters that
/// only some languages use (ß, å, ñ, ã...). Words that are no language's stop word vote for
/// "unknown", so text with few function words of any language gets a low confidence.
/// </summary>
public sealed class LanguageIdentifier(LanguageIdentifierOptions options, LanguageProfiles profiles)
{
    private const double UnknownWeight = 0.15;
    /// <summary>Longer words are never looked up (no stop word is that long).</summary>
    private const int MaxWordLength = 64;
    /// <summary>1/n for a stop word shared by n languages (a division per word was a visible share of the step).</summary>
    private static readonly double[] ShareWeights = Enumerable.Range(0, 33).Select(n => n == 0 ? 0 : 1.0 / n).ToArray();
    /// <summary>ASCII letter to its lower case, anything else to '\0'.</summary>
    private static readonly char[] AsciiLower = Enumerable.Range(0, 128).Select(c => char.IsAsciiLetter((char)c) ? char.ToLowerInvariant((char)c) : '\0').ToArray();

    public LanguageIdentifier(LanguageIdentifierOptions options) : this(options, LanguageProfiles.Default) { }

    // Fully optimised from the first call: tiered JIT left these loops slow for seconds on a busy machine.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public LanguageResult Identify(ReadOnlySpan<char> text)
    {
        if (text.Length > options.MaxCharacters) text = text[..options.MaxCharacters];
        Span<double> scores = stackalloc double[LanguageProfiles.Latin.Length];
        var asciiLower = AsciiLower;
        int latin = 0, cyrillic = 0, cjk = 0, kana = 0, otherScript = 0;
        int latinTokens = 0, latinHits = 0, cyrillicTokens = 0, russianHits = 0;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c < 128)
            {
                if (asciiLower[c] == 0) { i++; continue; }
            }
            else
            {
                if (!char.IsLetter(c)) { i++; continue; }
                if (c is >= '\u3040' and <= '\u30ff') { kana++; cjk++; i++; continue; }
                if (c is >= '\u3400' and <= '\u9fff' or >= '\uf900' and <= '\ufaff') { cjk++; i++; continue; }
            }
            // A word: letters, and apostrophes followed by a letter, up to a Han/kana character. Its
            // lower-cased hash is built on the way, for the stop-word tables.
            var start = i;
            ulong hash = 0;
            var nonAscii = false;
            while (i < text.Length)
            {
                c = text[i];
                char lower;
                if (c < 128)
                {
                    lower = asciiLower[c];
                    if (lower == 0)
                    {
                        if (c != '\'' || i + 1 >= text.Length || !char.IsLetter(text[i + 1])) break;
                        lower = c;
                    }
                }
                else
                {
                    if (!char.IsLetter(c) || IsCjk(c)) break;
                    lower = char.ToLowerInvariant(c);
                    nonAscii = true;
                }
                hash = WordHash.Append(hash, lower);
                i++;
            }
            var word = text[start..i];
            var script = ScriptOf(word[0]);
            if (script == Script.Latin)
            {
                latin += word.Length;
                latinTokens++;
                if (nonAscii)
                {
                    foreach (var letter in word)
                    {
                        if (letter > 127) AddLetterHints(letter, scores);
                    }
                }
                if (word.Length <= MaxWordLength && profiles.LatinLookup.TryGet(hash, word, out var mask))
                {
                    latinHits++;
                    var weight = ShareWeights[BitOperations.PopCount((uint)mask)];
                    for (var bits = (uint)mask; bits != 0; bits &= bits - 1) scores[BitOperations.TrailingZeroCount(bits)] += weight;
                }
            }
            else if (script == Script.Cyrillic)
            {
                cyrillic += word.Length;
                cyrillicTokens++;
                if (word.Length <= MaxWordLength && profiles.RussianLookup.Contains(hash, word)) russianHits++;
            }
            else
            {
                otherScript += word.Length;
            }
        }
        var letters = latin + cyrillic + cjk + otherScript;
        if (letters == 0) return new LanguageResult(LanguageResult.Unknown, 0);
        if (cjk > letters / 3)
        {
            // Kana means Japanese, which this identifier does not report.
            return kana * 10 > cjk ? new LanguageResult(LanguageResult.Unknown, 0) : Decide("zh", (double)cjk / letters);
        }
        if (cyrillic > letters / 2)
        {
            var coverage = cyrillicTokens == 0 ? 0 : (double)russianHits / cyrillicTokens;
            return Decide("ru", (double)cyrillic / letters * Math.Min(1, coverage / 0.15));
        }
        if (latin < letters / 2 || latinTokens == 0) return new LanguageResult(LanguageResult.Unknown, 0);

        var best = 0;
        for (var l = 1; l < scores.Length; l++)
        {
            if (scores[l] > scores[best]) best = l;
        }
        var second = 0.0;
        for (var l = 0; l < scores.Length; l++)
        {
            if (l != best) second = Math.Max(second, scores[l]);
        }
        // Against the runner-up only: related languages share many stop words, which raise both
        // scores equally and say nothing about which of the two it is.
        var total = scores[best] + second + UnknownWeight * (latinTokens - latinHits);
        if (total <= 0) return new LanguageResult(LanguageResult.Unknown, 0);
        return Decide(LanguageProfiles.Latin[best], scores[best] / total * ((double)latin / letters));
    }

    private LanguageResult Decide(string language, double confidence)
    {
        confidence = Math.Clamp(confidence, 0, 1);
        return confidence >= options.MinConfidence ? new LanguageResult(language, confidence) : new LanguageResult(LanguageResult.Unknown, confidence);
    }

    private static bool IsCjk(char c) => c is >= '\u3040' and <= '\u30ff' or >= '\u3400' and <= '\u9fff' or >= '\uf900' and <= '\ufaff';

    private enum Script { Latin, Cyrillic, Other }

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
