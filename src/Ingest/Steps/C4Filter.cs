using System.Buffers;
using Pipeline.Ingest.Text;

namespace Pipeline.Ingest.Steps;

/// <summary>The outcome of C4: a drop, or the text with the removed lines gone.</summary>
public sealed record C4Result(FilterVerdict? Verdict, string Text, int LinesRemoved)
{
    /// <summary>The view of <see cref="Text"/> when lines were removed (moved from the input's view, not split again).</summary>
    public DocumentView? KeptView { get; init; }
    /// <summary>Which lines of the input's view were removed (when any were), so that other per-line data can follow.</summary>
    public bool[]? RemovedLines { get; init; }
}

/// <summary>
/// C4's rules as DataTrove implements them: drop documents with "lorem ipsum" or a curly bracket;
/// remove lines without terminal punctuation, with too few words, with an over-long word, or that
/// mention javascript or a site policy (those two English-only); then require enough sentences.
/// </summary>
public sealed class C4Filter(C4Options options)
{
    public const string Name = "c4";
    private readonly SearchValues<string> _englishOnlyPhrases = SearchValues.Create(["javascript", .. options.PolicySubstrings], StringComparison.OrdinalIgnoreCase);

    /// <summary>Applies the rules to <paramref name="view"/>; the kept lines' view goes into <paramref name="keptInto"/> when given (its lists reused).</summary>
    public C4Result Apply(DocumentView view, bool english, DocumentView? keptInto = null)
    {
        var text = view.Text;
        if (options.DropLoremIpsum && text.Contains("lorem ipsum", StringComparison.OrdinalIgnoreCase))
            return new C4Result(new FilterVerdict(Name, "lorem_ipsum", 1, 0), text, 0);
        if (options.DropCurlyBracket && text.Contains('{'))
            return new C4Result(new FilterVerdict(Name, "curly_bracket", 1, 0), text, 0);

        var lines = view.Lines;
        // Per line: 7 case-insensitive searches; for the whole text: one. Most texts name none of them.
        var mentionsPolicy = english && text.AsSpan().IndexOfAny(_englishOnlyPhrases) >= 0;
        Span<bool> removedLines = lines.Length <= 1024 ? stackalloc bool[lines.Length] : new bool[lines.Length];
        var removed = 0;
        var sentences = 0;
        var lineWordEnds = view.LineWordEnds;
        for (var lineIndex = 0; lineIndex < lines.Length; lineIndex++)
        {
            var range = lines[lineIndex];
            var line = view.Span(range);
            var firstWord = lineIndex == 0 ? 0 : lineWordEnds[lineIndex - 1];
            if (options.RemoveLines && RemoveLine(line, view.Words[firstWord..lineWordEnds[lineIndex]], mentionsPolicy))
            {
                removedLines[lineIndex] = true;
                removed++;
                continue;
            }
            sentences += CountSentences(line);
        }
        var keptView = options.RemoveLines && removed > 0 ? view.WithoutLines(removedLines, keptInto) : null;
        var result = keptView?.Text ?? text;
        var removedCopy = keptView is null ? null : removedLines.ToArray();
        if (sentences < options.MinSentences)
            return new C4Result(new FilterVerdict(Name, "too_few_sentences", sentences, options.MinSentences), result, removed) { KeptView = keptView, RemovedLines = removedCopy };
        return new C4Result(null, result, removed) { KeptView = keptView, RemovedLines = removedCopy };
    }

    private bool RemoveLine(ReadOnlySpan<char> line, ReadOnlySpan<Range> words, bool mentionsPolicy)
    {
        if (!TerminalPunctuation.EndsLine(line)) return true;
        if (words.Length < options.MinWordsPerLine || LongestWordExceeds(line.Length, words)) return true;
        if (!mentionsPolicy) return false;
        if (line.Contains("javascript", StringComparison.OrdinalIgnoreCase)) return true;
        foreach (var policy in options.PolicySubstrings)
        {
            if (line.Contains(policy, StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }

    /// <summary>Whether a word is longer than the limit; no word is longer than its line, so most lines need no look at their words.</summary>
    private bool LongestWordExceeds(int lineLength, ReadOnlySpan<Range> words)
    {
        if (lineLength <= options.MaxWordLength) return false;
        foreach (var word in words)
        {
            if (word.End.Value - word.Start.Value > options.MaxWordLength) return true;
        }
        return false;
    }

    /// <summary>Sentence ends followed by a space or the line end (so "3.5" and "e.g." mid-word do not count).</summary>
    private static int CountSentences(ReadOnlySpan<char> line)
    {
        var count = 0;
        var i = -1;
        while (true)
        {
            var next = line[(i + 1)..].IndexOfAny(SentenceEnds);
            if (next < 0) break;
            i += next + 1;
            var atEnd = i + 1 == line.Length || line[i + 1] is ' ' or '"' or '\'' or '”' || DocumentView.IsCjk(line[i]) || line[i] is '。' or '！' or '？';
            if (atEnd && (i + 1 == line.Length || !TerminalPunctuation.IsSentenceEnd(line[i + 1]))) count++;
        }
        return Math.Max(count, TerminalPunctuation.EndsLine(line) ? 1 : 0);
    }

    private static readonly SearchValues<char> SentenceEnds = SearchValues.Create(".!?。！？");
}
