using System.Runtime.CompilerServices;
using System.Text;
using Pipeline.Ingest.Text;

namespace Pipeline.Ingest.Steps;

/// <summary>
/// Script first (Han -> zh, Cyrillic -> ru, other non-Latin scripts -> unknown), then for Latin text a
/// vote of stop words weighted by 1/(number of languages that share the word), plus letters that
/// only some languages use (ß, å, ñ, ã...). Words that are no language's stop word vote for
/// "unknown", so text with few function words of any language gets a low confidence.
/// </summary>
/// <remarks>
/// A word is letters, and apostrophes followed by a letter. Text without Han/kana takes its words from
/// the letter runs that the chain finds once for toxicity and demographics too (runs joined by single
/// apostrophes); Han/kana split words and count per character, so that text is scanned here.
/// </remarks>
public sealed class LanguageIdentifier(LanguageIdentifierOptions options, LanguageProfiles profiles)
{
    private const double UnknownWeight = 0.15;
    /// <summary>ASCII letter to its lower case, anything else to '\0'.</summary>
    private static readonly char[] AsciiLower = Enumerable.Range(0, 128).Select(c => char.IsAsciiLetter((char)c) ? char.ToLowerInvariant((char)c) : '\0').ToArray();
    [ThreadStatic] private static LetterWords? _ownRuns;

    public LanguageIdentifier(LanguageIdentifierOptions options) : this(options, LanguageProfiles.Default) { }

    public LanguageResult Identify(ReadOnlySpan<char> text)
    {
        if (text.Length > options.MaxCharacters) text = text[..options.MaxCharacters];
        if (HasHanOrKana(text)) return IdentifyByScan(text);
        var runs = _ownRuns ??= new LetterWords();
        runs.Tokenize(text);
        return IdentifyByRuns(text, runs);
    }

    /// <summary>Identifies <paramref name="text"/> from its letter runs (of the whole text; only those in the first <see cref="LanguageIdentifierOptions.MaxCharacters"/> count).</summary>
    public LanguageResult Identify(ReadOnlySpan<char> text, LetterWords letterWords)
    {
        if (text.Length > options.MaxCharacters) text = text[..options.MaxCharacters];
        return HasHanOrKana(text) ? IdentifyByScan(text) : IdentifyByRuns(text, letterWords);
    }

    /// <summary><paramref name="text"/> already cut to MaxCharacters and free of Han/kana.</summary>
    private LanguageResult IdentifyByRuns(ReadOnlySpan<char> text, LetterWords letterWords)
    {
        var runs = letterWords.Runs;
        runs = runs[..RunsStartingBefore(runs, text.Length)];
        Span<double> scores = stackalloc double[LanguageProfiles.Latin.Length];
        var tally = new LanguageTally(scores, profiles);
        var asciiText = Ascii.IsValid(text);
        var index = 0;
        while (index < runs.Length)
        {
            var (start, length, hash) = JoinedWord.Next(runs, '\'', ref index);
            if (start + length > text.Length)
            {
                // The word the cut at MaxCharacters leaves: shorter than its runs say, so hashed again.
                length = text.Length - start;
                hash = LowerCasedHash(text.Slice(start, length));
            }
            tally.AddWord(text, start, length, hash, !asciiText && text.Slice(start, length).ContainsAnyExceptInRange('\0', '\u007f'));
        }
        return Decide(ref tally);
    }

    /// <summary>Scans the characters itself: for text with Han/kana, whose characters are counted one by one and end words.</summary>
    // Fully optimised from the first call: tiered JIT left these loops slow for seconds on a busy machine.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal LanguageResult IdentifyByScan(ReadOnlySpan<char> text)
    {
        if (text.Length > options.MaxCharacters) text = text[..options.MaxCharacters];
        Span<double> scores = stackalloc double[LanguageProfiles.Latin.Length];
        var tally = new LanguageTally(scores, profiles);
        var asciiLower = AsciiLower;
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
                if (c is >= '\u3040' and <= '\u30ff') { tally.Kana++; tally.Cjk++; i++; continue; }
                if (c is >= '\u3400' and <= '\u9fff' or >= '\uf900' and <= '\ufaff') { tally.Cjk++; i++; continue; }
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
            tally.AddWord(text, start, i - start, hash, nonAscii);
        }
        return Decide(ref tally);
    }

    private LanguageResult Decide(ref LanguageTally tally)
    {
        var scores = tally.Scores;
        var letters = tally.Latin + tally.Cyrillic + tally.Cjk + tally.OtherScript;
        if (letters == 0) return new LanguageResult(LanguageResult.Unknown, 0);
        if (tally.Cjk > letters / 3)
        {
            // Kana means Japanese, which this identifier does not report.
            return tally.Kana * 10 > tally.Cjk ? new LanguageResult(LanguageResult.Unknown, 0) : Decide("zh", (double)tally.Cjk / letters);
        }
        if (tally.Cyrillic > letters / 2)
        {
            var coverage = tally.CyrillicTokens == 0 ? 0 : (double)tally.RussianHits / tally.CyrillicTokens;
            return Decide("ru", (double)tally.Cyrillic / letters * Math.Min(1, coverage / 0.15));
        }
        if (tally.Latin < letters / 2 || tally.LatinTokens == 0) return new LanguageResult(LanguageResult.Unknown, 0);

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
        var total = scores[best] + second + UnknownWeight * (tally.LatinTokens - tally.LatinHits);
        if (total <= 0) return new LanguageResult(LanguageResult.Unknown, 0);
        return Decide(LanguageProfiles.Latin[best], scores[best] / total * ((double)tally.Latin / letters));
    }

    private LanguageResult Decide(string language, double confidence)
    {
        confidence = Math.Clamp(confidence, 0, 1);
        return confidence >= options.MinConfidence ? new LanguageResult(language, confidence) : new LanguageResult(LanguageResult.Unknown, confidence);
    }

    /// <summary>
    /// Whether any character is at or above U+3040 (kana, Han and everything after them): such text
    /// takes the scan. Checked over the whole range with one vectorised search; other scripts up
    /// there merely take the slower path.
    /// </summary>
    private static bool HasHanOrKana(ReadOnlySpan<char> text) => text.IndexOfAnyInRange('\u3040', '\uffff') >= 0;

    private static bool IsCjk(char c) => c is >= '\u3040' and <= '\u30ff' or >= '\u3400' and <= '\u9fff' or >= '\uf900' and <= '\ufaff';

    /// <summary>How many runs start before <paramref name="limit"/> (runs are in text order).</summary>
    private static int RunsStartingBefore(ReadOnlySpan<LetterRun> runs, int limit)
    {
        if (runs.Length == 0 || runs[^1].Start < limit) return runs.Length;
        int low = 0, high = runs.Length - 1;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (runs[middle].Start < limit) low = middle + 1; else high = middle;
        }
        return low;
    }

    private static ulong LowerCasedHash(ReadOnlySpan<char> word)
    {
        ulong hash = 0;
        foreach (var c in word) hash = WordHash.Append(hash, WordHash.ToLower(c));
        return hash;
    }
}
