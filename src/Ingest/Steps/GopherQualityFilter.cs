using Pipeline.Ingest.Text;

namespace Pipeline.Ingest.Steps;

/// <summary>
/// Gopher quality rules. The stop-word rule is English-only; for Chinese the mean-word-length rule is
/// skipped, because without spaces every character counts as a word.
/// </summary>
public sealed class GopherQualityFilter(GopherQualityOptions options)
{
    public const string Name = "gopher_quality";
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _stopWords =
        new HashSet<string>(options.StopWords, StringComparer.OrdinalIgnoreCase).GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>ASCII letters that start a stop word, either case: a word starting with another ASCII character needs no lookup.</summary>
    private readonly bool[] _stopWordStarts = StartLetters(options.StopWords);

    public FilterVerdict? Check(DocumentView view, bool english)
    {
        var words = view.Words;
        var count = words.Length;
        if (count < options.MinWords) return Drop("word_count", count, options.MinWords);
        if (count > options.MaxWords) return Drop("word_count", count, options.MaxWords);

        long letters = view.WordCharacters;
        // '#', "..." and '…' are rare: when the text has none, no word needs looking at for them.
        var symbols = view.Text.AsSpan().IndexOfAny('#', '…') < 0 && !view.Text.Contains("...", StringComparison.Ordinal) ? 0 : SymbolWords(view);
        var alphabetic = 0;
        var stopWordsSeen = english ? 0 : options.MinStopWords;
        Span<bool> seen = stackalloc bool[options.StopWords.Length];
        foreach (var range in words)
        {
            var word = view.Span(range);
            if (char.IsAsciiLetter(word[0]) || HasLetter(word)) alphabetic++;
            if (stopWordsSeen < options.MinStopWords && MayBeStopWord(word) && _stopWords.Contains(word))
            {
                for (var s = 0; s < options.StopWords.Length; s++)
                {
                    if (seen[s] || !word.Equals(options.StopWords[s], StringComparison.OrdinalIgnoreCase)) continue;
                    seen[s] = true;
                    stopWordsSeen++;
                }
            }
        }
        if (view.CjkCharacters * 2 < count)
        {
            var mean = (double)letters / count;
            if (mean < options.MinMeanWordLength) return Drop("mean_word_length", mean, options.MinMeanWordLength);
            if (mean > options.MaxMeanWordLength) return Drop("mean_word_length", mean, options.MaxMeanWordLength);
        }
        var symbolRatio = (double)symbols / count;
        if (symbolRatio > options.MaxSymbolWordRatio) return Drop("symbol_word_ratio", symbolRatio, options.MaxSymbolWordRatio);

        var lines = view.Lines;
        if (lines.Length > 0)
        {
            var bullets = 0;
            var ellipses = 0;
            foreach (var range in lines)
            {
                var line = view.Span(range).Trim();
                if (line.Length > 0 && line[0] is '•' or '*' or '-' or '‣' or '◦' or '⁃' or '·') bullets++;
                if (line.EndsWith("...", StringComparison.Ordinal) || line.EndsWith('…')) ellipses++;
            }
            var bulletRatio = (double)bullets / lines.Length;
            if (bulletRatio > options.MaxBulletLineRatio) return Drop("bullet_lines", bulletRatio, options.MaxBulletLineRatio);
            var ellipsisRatio = (double)ellipses / lines.Length;
            if (ellipsisRatio > options.MaxEllipsisLineRatio) return Drop("ellipsis_lines", ellipsisRatio, options.MaxEllipsisLineRatio);
        }
        var alphabeticRatio = (double)alphabetic / count;
        if (alphabeticRatio < options.MinAlphabeticWordRatio) return Drop("alphabetic_words", alphabeticRatio, options.MinAlphabeticWordRatio);
        if (english && stopWordsSeen < options.MinStopWords) return Drop("stop_words", stopWordsSeen, options.MinStopWords);
        return null;
    }

    /// <summary>
    /// Words with a '#', plus words with "..." or '…' (each word counted once per rule). Found from
    /// the symbols' positions in the text, not by searching every word: three searches per word were a
    /// visible share of the filter on texts that have one of them at all.
    /// </summary>
    internal static int SymbolWords(DocumentView view)
    {
        var text = view.Text.AsSpan();
        var words = view.Words;
        var symbols = 0;
        var lastWord = -1;
        for (var at = text.IndexOf('#'); at >= 0; at = NextIndexOf(text, at + 1, "#"))
            CountWordAt(words, at, ref lastWord, ref symbols);
        lastWord = -1;
        var dots = text.IndexOf("...", StringComparison.Ordinal);
        var ellipsis = text.IndexOf('…');
        while (dots >= 0 || ellipsis >= 0)
        {
            if (ellipsis < 0 || (dots >= 0 && dots < ellipsis))
            {
                CountWordAt(words, dots, ref lastWord, ref symbols);
                dots = NextIndexOf(text, dots + 1, "...");
            }
            else
            {
                CountWordAt(words, ellipsis, ref lastWord, ref symbols);
                ellipsis = NextIndexOf(text, ellipsis + 1, "…");
            }
        }
        return symbols;
    }

    private static int NextIndexOf(ReadOnlySpan<char> text, int from, string value)
    {
        var next = text[from..].IndexOf(value, StringComparison.Ordinal);
        return next < 0 ? -1 : from + next;
    }

    /// <summary>Counts the word holding position <paramref name="at"/> unless it was the last one counted (symbols are never separators, so one holds it).</summary>
    private static void CountWordAt(ReadOnlySpan<Range> words, int at, ref int lastWord, ref int symbols)
    {
        int low = 0, high = words.Length - 1;
        while (low < high)
        {
            var middle = (low + high + 1) >>> 1;
            if (words[middle].Start.Value <= at) low = middle; else high = middle - 1;
        }
        if (low == lastWord || words.Length == 0 || words[low].Start.Value > at || words[low].End.Value <= at) return;
        lastWord = low;
        symbols++;
    }

    private static bool[] StartLetters(string[] stopWords)
    {
        var starts = new bool[128];
        foreach (var word in stopWords)
        {
            if (word.Length > 0 && char.IsAscii(word[0])) starts[char.ToLowerInvariant(word[0])] = starts[char.ToUpperInvariant(word[0])] = true;
            // A stop word starting with a non-ASCII character could match any word: no filter then.
            else starts.AsSpan().Fill(true);
        }
        return starts;
    }

    /// <summary>
    /// False only for a word whose first character is ASCII and starts no stop word: OrdinalIgnoreCase
    /// can match an ASCII letter only with its other case among ASCII characters, and non-ASCII first
    /// characters (which may fold to ASCII, like 'ı' or 'ſ') still take the lookup.
    /// </summary>
    private bool MayBeStopWord(ReadOnlySpan<char> word) => word[0] >= 128 || _stopWordStarts[word[0]];

    private static bool HasLetter(ReadOnlySpan<char> word)
    {
        foreach (var c in word)
        {
            if (char.IsLetter(c)) return true;
        }
        return false;
    }

    private static FilterVerdict Drop(string rule, double value, double threshold) => new(Name, rule, value, threshold);
}
