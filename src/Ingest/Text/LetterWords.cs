using System.Runtime.CompilerServices;

namespace Pipeline.Ingest.Text;

/// <summary>
/// The runs of letters of a text with their lower-cased <see cref="WordHash"/>, found in one pass and
/// shared by language identification, toxicity and demographics. Each consumer joins runs its own way:
/// language ID and toxicity join runs separated by one apostrophe ("don't"), demographics by one
/// hyphen ("non-binary"), so a run records which joiner, if any, sits between it and the run before.
/// When C4 removes lines or PII is replaced, the runs are carried over to the new text rather than
/// found again (see LetterWords.Edits.cs). Buffers are reused.
/// </summary>
public sealed partial class LetterWords
{
    private LetterRun[] _runs = new LetterRun[256];

    public int Count { get; private set; }
    public ReadOnlySpan<LetterRun> Runs => _runs.AsSpan(0, Count);

    public static LetterWords Of(ReadOnlySpan<char> text)
    {
        var words = new LetterWords();
        words.Tokenize(text);
        return words;
    }

    public void Tokenize(ReadOnlySpan<char> text)
    {
        Count = 0;
        Append(text, 0);
    }

    /// <summary>
    /// Appends the runs that start at or after <paramref name="from"/>, as a pass over the whole text
    /// finds them, given that <paramref name="from"/> is not inside a run and the runs before it are in place.
    /// </summary>
    // Fully optimised from the first call: tiered JIT left these loops slow for seconds on a busy machine.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Append(ReadOnlySpan<char> text, int from)
    {
        var previousEnd = Count == 0 ? -2 : _runs[Count - 1].Start + _runs[Count - 1].Length;
        var i = from;
        while (i < text.Length)
        {
            var c = text[i];
            var lower = LowerLetter(c);
            if (lower == 0) { i++; continue; }
            var start = i;
            ulong hash = 0;
            while (true)
            {
                hash = WordHash.Append(hash, lower);
                if (++i == text.Length) break;
                lower = LowerLetter(text[i]);
                if (lower == 0) break;
            }
            var joiner = start - 1 == previousEnd && text[previousEnd] is '\'' or '-' ? text[previousEnd] : '\0';
            if (Count == _runs.Length) Array.Resize(ref _runs, Count * 2);
            _runs[Count++] = new LetterRun(start, i - start, hash, joiner);
            previousEnd = i;
        }
    }

    /// <summary>A letter lower-cased, anything else '\0'; ASCII decided with arithmetic (nearly every character).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static char LowerLetter(char c)
    {
        if (c < 128)
        {
            var lower = (char)(c | 0x20);
            return (uint)(lower - 'a') <= 'z' - 'a' ? lower : '\0';
        }
        return char.IsLetter(c) ? char.ToLowerInvariant(c) : '\0';
    }
}
