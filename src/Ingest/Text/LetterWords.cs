namespace Pipeline.Ingest.Text;

/// <summary>
/// The runs of letters of a text with their lower-cased <see cref="WordHash"/>, found in one pass and
/// shared by the toxicity and demographics steps. Each consumer joins runs its own way: toxicity
/// joins runs separated by one apostrophe ("don't"), demographics by one hyphen ("non-binary"), so a
/// run records which joiner, if any, sits between it and the run before. Buffers are reused.
/// </summary>
public sealed class LetterWords
{
    private int[] _starts = new int[256];
    private int[] _lengths = new int[256];
    private ulong[] _hashes = new ulong[256];
    private char[] _joiners = new char[256];

    public int Count { get; private set; }
    public ReadOnlySpan<int> Starts => _starts.AsSpan(0, Count);
    public ReadOnlySpan<int> Lengths => _lengths.AsSpan(0, Count);
    public ReadOnlySpan<ulong> Hashes => _hashes.AsSpan(0, Count);
    /// <summary>'\'' or '-' when exactly that character separates this run from the previous one, else '\0'.</summary>
    public ReadOnlySpan<char> Joiners => _joiners.AsSpan(0, Count);

    public static LetterWords Of(ReadOnlySpan<char> text)
    {
        var words = new LetterWords();
        words.Tokenize(text);
        return words;
    }

    public void Tokenize(ReadOnlySpan<char> text)
    {
        Count = 0;
        var previousEnd = -2;
        var i = 0;
        var lower = AsciiLower;
        while (i < text.Length)
        {
            var c = text[i];
            var l = c < 128 ? lower[c] : char.IsLetter(c) ? char.ToLowerInvariant(c) : '\0';
            if (l == '\0') { i++; continue; }
            var start = i;
            ulong hash = 0;
            while (true)
            {
                hash = WordHash.Append(hash, l);
                if (++i == text.Length) break;
                c = text[i];
                l = c < 128 ? lower[c] : char.IsLetter(c) ? char.ToLowerInvariant(c) : '\0';
                if (l == '\0') break;
            }
            var joiner = start - 1 == previousEnd && text[previousEnd] is '\'' or '-' ? text[previousEnd] : '\0';
            Add(start, i - start, hash, joiner);
            previousEnd = i;
        }
    }

    /// <summary>ASCII letter to its lower case, anything else to '\0': one load answers both questions for nearly every character.</summary>
    private static readonly char[] AsciiLower = Enumerable.Range(0, 128).Select(c => char.IsAsciiLetter((char)c) ? char.ToLowerInvariant((char)c) : '\0').ToArray();

    private void Add(int start, int length, ulong hash, char joiner)
    {
        if (Count == _starts.Length)
        {
            Array.Resize(ref _starts, Count * 2);
            Array.Resize(ref _lengths, Count * 2);
            Array.Resize(ref _hashes, Count * 2);
            Array.Resize(ref _joiners, Count * 2);
        }
        _starts[Count] = start;
        _lengths[Count] = length;
        _hashes[Count] = hash;
        _joiners[Count] = joiner;
        Count++;
    }
}
