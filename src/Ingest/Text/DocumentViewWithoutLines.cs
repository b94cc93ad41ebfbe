using System.Text;

namespace Pipeline.Ingest.Text;

public sealed partial class DocumentView
{
    private DocumentView() => Text = "";

    /// <summary>
    /// The text without the given lines, joined as C4 joins them (a blank line before a kept line stays
    /// a blank line), with its view. Lines and words never cross a newline, so the kept ones are moved
    /// rather than found again; only text with Han/kana is split again (its per-line counts are not kept).
    /// </summary>
    public DocumentView WithoutLines(ReadOnlySpan<bool> removedLines)
    {
        var kept = new StringBuilder(Text.Length);
        var result = new DocumentView();
        var lines = Lines;
        var words = Words;
        var wordIndex = 0;
        var paragraphStart = 0;
        for (var lineIndex = 0; lineIndex < lines.Length; lineIndex++)
        {
            var (start, end) = (lines[lineIndex].Start.Value, lines[lineIndex].End.Value);
            while (wordIndex < words.Length && words[wordIndex].Start.Value < start) wordIndex++;
            if (removedLines[lineIndex]) continue;
            if (kept.Length > 0)
            {
                if (start >= 2 && Text[start - 2] == '\n')
                {
                    result._paragraphs.Add(new Range(paragraphStart, kept.Length));
                    kept.Append("\n\n");
                    paragraphStart = kept.Length;
                }
                else
                {
                    kept.Append('\n');
                }
            }
            var offset = kept.Length - start;
            kept.Append(Text, start, end - start);
            result._lines.Add(new Range(start + offset, end + offset));
            for (; wordIndex < words.Length && words[wordIndex].Start.Value < end; wordIndex++)
            {
                var (wordStart, wordEnd) = (words[wordIndex].Start.Value, words[wordIndex].End.Value);
                result._words.Add(new Range(wordStart + offset, wordEnd + offset));
                result.WordCharacters += wordEnd - wordStart;
            }
        }
        if (kept.Length > paragraphStart) result._paragraphs.Add(new Range(paragraphStart, kept.Length));
        var text = kept.ToString();
        if (CjkCharacters > 0) return new DocumentView(text);
        result.Text = text;
        result.NewlineCount = text.Length - (lines.Length == 0 ? 0 : KeptLineCharacters(result));
        return result;
    }

    private static int KeptLineCharacters(DocumentView view)
    {
        var characters = 0;
        foreach (var line in view.Lines) characters += line.End.Value - line.Start.Value;
        return characters;
    }
}
