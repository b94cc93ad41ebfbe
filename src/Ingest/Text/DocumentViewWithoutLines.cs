using System.Buffers;

namespace Pipeline.Ingest.Text;

public sealed partial class DocumentView
{
    /// <summary>
    /// The text without the given lines, joined as C4 joins them (a blank line before a kept line stays
    /// a blank line), with its view. Lines and words never cross a newline, so the kept ones are moved
    /// rather than found again; only text with Han/kana is split again (its per-line counts are not kept).
    /// The view is <paramref name="into"/> when given (its lists reused), else a new one.
    /// </summary>
    public DocumentView WithoutLines(ReadOnlySpan<bool> removedLines, DocumentView? into = null)
    {
        var result = into ?? new DocumentView();
        result.Clear();
        // Written into a pooled buffer and copied once into the string (a StringBuilder of the input's
        // size was allocated per document before).
        var kept = ArrayPool<char>.Shared.Rent(Text.Length);
        try
        {
            var length = 0;
            var lines = Lines;
            var words = Words;
            var wordIndex = 0;
            var paragraphStart = 0;
            for (var lineIndex = 0; lineIndex < lines.Length; lineIndex++)
            {
                var (start, end) = (lines[lineIndex].Start.Value, lines[lineIndex].End.Value);
                while (wordIndex < words.Length && words[wordIndex].Start.Value < start) wordIndex++;
                if (removedLines[lineIndex]) continue;
                if (length > 0)
                {
                    if (start >= 2 && Text[start - 2] == '\n')
                    {
                        result._paragraphs.Add(new Range(paragraphStart, length));
                        kept[length++] = '\n';
                        kept[length++] = '\n';
                        paragraphStart = length;
                    }
                    else
                    {
                        kept[length++] = '\n';
                    }
                }
                var offset = length - start;
                Text.AsSpan(start, end - start).CopyTo(kept.AsSpan(length));
                length += end - start;
                for (; wordIndex < words.Length && words[wordIndex].Start.Value < end; wordIndex++)
                {
                    var (wordStart, wordEnd) = (words[wordIndex].Start.Value, words[wordIndex].End.Value);
                    result._words.Add(new Range(wordStart + offset, wordEnd + offset));
                    result.WordCharacters += wordEnd - wordStart;
                }
                result.AddLine(start + offset, end + offset);
            }
            if (length > paragraphStart) result._paragraphs.Add(new Range(paragraphStart, length));
            var text = new string(kept, 0, length);
            if (CjkCharacters > 0)
            {
                result.Reset(text);
                return result;
            }
            result.Text = text;
            result.NewlineCount = text.Length - (lines.Length == 0 ? 0 : KeptLineCharacters(result));
            return result;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(kept);
        }
    }

    private static int KeptLineCharacters(DocumentView view)
    {
        var characters = 0;
        foreach (var line in view.Lines) characters += line.End.Value - line.Start.Value;
        return characters;
    }
}
