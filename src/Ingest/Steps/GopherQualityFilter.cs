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
            if (stopWordsSeen < options.MinStopWords && _stopWords.Contains(word))
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

    private static int SymbolWords(DocumentView view)
    {
        var symbols = 0;
        foreach (var range in view.Words)
        {
            var word = view.Span(range);
            if (word.Contains('#')) symbols++;
            if (word.Contains("...", StringComparison.Ordinal) || word.Contains('…')) symbols++;
        }
        return symbols;
    }

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
