using Pipeline.Ingest.Text;

namespace Pipeline.Ingest.Steps;

/// <summary>FineWeb's quality rules: punctuated lines, short lines, duplicated-line characters, newlines per word.</summary>
public sealed class FineWebFilter(FineWebOptions options)
{
    public const string Name = "fineweb";

    public FilterVerdict? Check(DocumentView view)
    {
        var lines = view.Lines;
        if (lines.Length == 0) return new FilterVerdict(Name, "empty", 0, 1);
        var punctuated = 0;
        var shortLines = 0;
        foreach (var range in lines)
        {
            var line = view.Span(range);
            if (TerminalPunctuation.EndsLine(line)) punctuated++;
            if (line.Length <= options.ShortLineLength) shortLines++;
        }
        var punctuationRatio = (double)punctuated / lines.Length;
        if (punctuationRatio <= options.MinLinePunctuationRatio) return new FilterVerdict(Name, "line_punctuation", punctuationRatio, options.MinLinePunctuationRatio);
        var shortRatio = (double)shortLines / lines.Length;
        if (shortRatio > options.MaxShortLineRatio) return new FilterVerdict(Name, "short_lines", shortRatio, options.MaxShortLineRatio);
        var totalChars = Math.Max(1, view.Text.Length - view.NewlineCount);
        var duplicateRatio = view.RepeatedLines.Chars / totalChars;
        if (duplicateRatio > options.MaxDuplicateLineCharRatio) return new FilterVerdict(Name, "duplicate_line_chars", duplicateRatio, options.MaxDuplicateLineCharRatio);
        var newlineRatio = view.Words.Length == 0 ? double.PositiveInfinity : (double)view.NewlineCount / view.Words.Length;
        if (newlineRatio > options.MaxNewlinesPerWord) return new FilterVerdict(Name, "newlines_per_word", newlineRatio, options.MaxNewlinesPerWord);
        return null;
    }
}
