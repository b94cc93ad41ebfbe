using System.Runtime.CompilerServices;

namespace Pipeline.Ingest.Text;

/// <summary>A word made of one or more letter runs joined by one joiner character, with its lower-cased hash.</summary>
public readonly record struct JoinedWord(int Start, int Length, ulong Hash)
{
    /// <summary>
    /// The word starting at run <paramref name="index"/>, advancing <paramref name="index"/> past it. The
    /// hash is exact only while the word is at most <see cref="WordHash.MaxLength"/> characters long;
    /// callers skip longer words (no lexicon key is that long).
    /// </summary>
    // Inlined: toxicity, demographics and language ID call it once per word, and the call cost as much as the common case's work.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static JoinedWord Next(ReadOnlySpan<LetterRun> runs, char joiner, ref int index)
    {
        var (start, length, hash, _) = runs[index];
        index++;
        while (index < runs.Length && runs[index].Joiner == joiner)
        {
            var part = runs[index];
            var end = part.Start + part.Length;
            if (end - start <= WordHash.MaxLength) hash = WordHash.Join(hash, joiner, part.Hash, part.Length);
            length = end - start;
            index++;
        }
        return new JoinedWord(start, length, hash);
    }
}
