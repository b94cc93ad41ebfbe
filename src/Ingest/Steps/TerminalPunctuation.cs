namespace Pipeline.Ingest.Steps;

internal static class TerminalPunctuation
{
    /// <summary>Sentence-ending marks, including the CJK full-width ones so the rule stays language-neutral.</summary>
    public static bool EndsLine(ReadOnlySpan<char> line)
    {
        line = line.TrimEnd();
        if (line.IsEmpty) return false;
        return line[^1] is '.' or '!' or '?' or '"' or '\'' or '”' or '’' or '。' or '！' or '？' or '…' or '»' or '«';
    }

    public static bool IsSentenceEnd(char c) => c is '.' or '!' or '?' or '。' or '！' or '？';
}
