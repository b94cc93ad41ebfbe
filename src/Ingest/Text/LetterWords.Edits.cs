namespace Pipeline.Ingest.Text;

/// <summary>
/// Carrying the runs over when the chain edits the text, instead of a second pass over it: the result
/// equals tokenizing the edited text (LetterWordsEditTests checks it on the corpus and stress documents).
/// </summary>
public sealed partial class LetterWords
{
    /// <summary>Runs built while replacing; swapped with the current ones afterwards.</summary>
    private LetterRun[] _spare = new LetterRun[256];

    /// <summary>
    /// The runs of the text after C4 removed lines: those of the kept lines, moved by how far each line
    /// moved. Runs never cross a newline, and a joiner is the character just before a run inside the
    /// same line, so a kept line's runs are what tokenizing the kept text finds there.
    /// </summary>
    public void RemoveLines(ReadOnlySpan<Range> lines, ReadOnlySpan<bool> removed, ReadOnlySpan<Range> keptLines)
    {
        var write = 0;
        var read = 0;
        var kept = 0;
        for (var line = 0; line < lines.Length; line++)
        {
            var end = lines[line].End.Value;
            if (removed[line])
            {
                while (read < Count && _runs[read].Start < end) read++;
                continue;
            }
            var shift = keptLines[kept++].Start.Value - lines[line].Start.Value;
            for (; read < Count && _runs[read].Start < end; read++)
            {
                var run = _runs[read];
                _runs[write++] = run with { Start = run.Start + shift };
            }
        }
        Count = write;
    }

    /// <summary>
    /// The runs after the given spans of <paramref name="before"/> were replaced (in order, without
    /// overlap) to give <paramref name="after"/>. Around each replacement, the letters and joiners
    /// touching it are tokenized again; every other run only moves.
    /// </summary>
    public void Replace(ReadOnlySpan<char> before, ReadOnlySpan<char> after, IReadOnlyList<TextReplacement> replacements)
    {
        var source = _runs;
        var sourceCount = Count;
        if (_spare.Length < sourceCount) _spare = new LetterRun[source.Length];
        _runs = _spare;
        _spare = source;
        Count = 0;
        var read = 0;
        var shift = 0;
        var r = 0;
        while (r < replacements.Count)
        {
            // The window: from the last character that is neither letter nor joiner before the
            // replacement to the first one after it, widened over replacements that fall inside.
            var windowStart = replacements[r].Start;
            while (windowStart > 0 && IsRunCharacter(before[windowStart - 1])) windowStart--;
            var shiftBefore = shift;
            int windowEnd;
            do
            {
                shift += replacements[r].NewLength - (replacements[r].End - replacements[r].Start);
                windowEnd = replacements[r].End;
                while (windowEnd < before.Length && IsRunCharacter(before[windowEnd])) windowEnd++;
                r++;
            }
            while (r < replacements.Count && replacements[r].Start <= windowEnd);
            for (; read < sourceCount && source[read].Start < windowStart; read++) Add(source[read], shiftBefore);
            while (read < sourceCount && source[read].Start < windowEnd) read++;
            Append(after[..(windowEnd + shift)], windowStart + shiftBefore);
        }
        for (; read < sourceCount; read++) Add(source[read], shift);
    }

    private void Add(LetterRun run, int shift)
    {
        if (Count == _runs.Length) Array.Resize(ref _runs, Count * 2);
        _runs[Count++] = run with { Start = run.Start + shift };
    }

    private static bool IsRunCharacter(char c) => c is '\'' or '-' || LowerLetter(c) != 0;
}
