namespace Pipeline.Ingest.Text;

/// <summary>A word made of one or more letter runs joined by one joiner character, with its lower-cased hash.</summary>
public readonly record struct JoinedWord(int Start, int Length, ulong Hash)
{
    /// <summary>
    /// The word starting at run <paramref name="index"/>, advancing <paramref name="index"/> past it. The
    /// hash is exact only while the word is at most <see cref="WordHash.MaxLength"/> characters long;
    /// callers skip longer words (no lexicon key is that long).
    /// </summary>
    public static JoinedWord Next(LetterWords words, char joiner, ref int index)
    {
        var starts = words.Starts;
        var lengths = words.Lengths;
        var hashes = words.Hashes;
        var joiners = words.Joiners;
        var start = starts[index];
        var length = lengths[index];
        var hash = hashes[index];
        index++;
        while (index < joiners.Length && joiners[index] == joiner)
        {
            var part = lengths[index];
            var end = starts[index] + part;
            if (end - start <= WordHash.MaxLength) hash = WordHash.Join(hash, joiner, hashes[index], part);
            length = end - start;
            index++;
        }
        return new JoinedWord(start, length, hash);
    }
}
