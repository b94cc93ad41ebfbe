namespace Pipeline.Ingest.Steps;

/// <summary>
/// Score in [0, 1]: 1 - exp(-d / scale), d being severity-weighted lexicon hits per 100 words. A
/// density rather than a count, so one swear word in a long article stays low while a short rant
/// full of them is near 1. Phrases of several words ("alligator bait") are matched too.
/// </summary>
public sealed class ToxicityScorer(ToxicityOptions options, ToxicityLexicon lexicon)
{
    public ToxicityScorer(ToxicityOptions options) : this(options, ToxicityLexicon.Default) { }

    public double Score(string text, string language)
    {
        var list = lexicon.For(language);
        if (list is null) return 0;
        var words = list.GetAlternateLookup<ReadOnlySpan<char>>();
        Span<char> buffer = stackalloc char[128];
        Span<int> starts = stackalloc int[4];
        Span<int> lengths = stackalloc int[4];
        var maxPhrase = Math.Min(lexicon.MaxPhraseWords, starts.Length);
        var count = 0;
        double weighted = 0;
        var i = 0;
        var recent = 0;
        while (i < text.Length)
        {
            if (!char.IsLetter(text[i])) { i++; continue; }
            var start = i;
            while (i < text.Length && (char.IsLetter(text[i]) || text[i] == '\'' && i + 1 < text.Length && char.IsLetter(text[i + 1]))) i++;
            count++;
            // Keep the last few word positions so a phrase ending at this word can be looked up.
            for (var k = starts.Length - 1; k > 0; k--) { starts[k] = starts[k - 1]; lengths[k] = lengths[k - 1]; }
            starts[0] = start;
            lengths[0] = i - start;
            recent = Math.Min(recent + 1, starts.Length);
            for (var n = 1; n <= Math.Min(maxPhrase, recent); n++)
            {
                var phraseStart = starts[n - 1];
                var phrase = text.AsSpan(phraseStart, i - phraseStart);
                if (phrase.Length > buffer.Length) break;
                var length = phrase.ToLowerInvariant(buffer);
                var key = buffer[..length];
                if (n > 1 && NormaliseSpaces(key) is var normal && normal != length) key = buffer[..normal];
                if (words.TryGetValue(key, out var rating))
                {
                    weighted += rating >= 2 ? options.StrongWeight : options.MildWeight;
                    break;
                }
            }
        }
        if (count == 0) return 0;
        var density = weighted * 100 / Math.Max(count, 20);
        return 1 - Math.Exp(-density / options.HitsPer100WordsScale);
    }

    /// <summary>A phrase spans line breaks and runs of spaces in the text; the lexicon spells it with single spaces.</summary>
    private static int NormaliseSpaces(Span<char> phrase)
    {
        var length = 0;
        var space = false;
        foreach (var c in phrase)
        {
            if (char.IsWhiteSpace(c)) { space = true; continue; }
            if (space && length > 0) phrase[length++] = ' ';
            space = false;
            phrase[length++] = c;
        }
        return length;
    }
}
