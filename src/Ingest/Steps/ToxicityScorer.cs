using Pipeline.Ingest.Text;

namespace Pipeline.Ingest.Steps;

/// <summary>
/// Score in [0, 1]: 1 - exp(-d / scale), d being severity-weighted lexicon hits per 100 words. A
/// density rather than a count, so one swear word in a long article stays low while a short rant
/// full of them is near 1. Phrases of several words ("alligator bait") are matched too.
/// </summary>
public sealed class ToxicityScorer(ToxicityOptions options, ToxicityLexicon lexicon)
{
    private const int MaxWordLength = 48;

    public ToxicityScorer(ToxicityOptions options) : this(options, ToxicityLexicon.Default) { }

    /// <summary>Whether <paramref name="language"/> has a list (other languages score 0 without a look at the text).</summary>
    public bool Measures(string language) => lexicon.For(language) is not null;

    public double Score(string text, string language) => Score(text, LetterWords.Of(text), language);

    /// <summary>Scores <paramref name="text"/> from its letter runs (found once and shared with the demographics step).</summary>
    public double Score(string text, LetterWords letterWords, string language)
    {
        var list = lexicon.For(language);
        if (list is null) return 0;
        var entries = list.Words;
        var phrases = list.Phrases;
        Span<int> starts = stackalloc int[4];
        var count = 0;
        double weighted = 0;
        var runs = letterWords.Runs;
        var run = 0;
        while (run < runs.Length)
        {
            var word = JoinedWord.Next(runs, '\'', ref run);
            starts[count & 3] = word.Start;
            count++;
            if (word.Length > MaxWordLength) continue;
            if (!entries.TryGet(word.Hash, text, word.Start, word.Length, out var entry)) continue;
            var rating = 0;
            // Phrases are rare: only a word that ends some phrase is worth building candidates for.
            if (entry.EndsPhrase) rating = MatchPhrase(text, starts, count, word.Start + word.Length, phrases);
            if (rating == 0) rating = entry.Rating;
            if (rating > 0) weighted += rating >= 2 ? options.StrongWeight : options.MildWeight;
        }
        if (count == 0) return 0;
        var density = weighted * 100 / Math.Max(count, 20);
        return 1 - Math.Exp(-density / options.HitsPer100WordsScale);
    }

    private static int MatchPhrase(string text, Span<int> starts, int count, int end, ToxicityLexicon.PhraseIndex phrases)
    {
        Span<char> buffer = stackalloc char[128];
        for (var n = Math.Min(Math.Min(phrases.MaxWords, 4), count); n >= 2; n--)
        {
            var phrase = text.AsSpan(starts[(count - n) & 3], end - starts[(count - n) & 3]);
            if (phrase.Length > buffer.Length) continue;
            var length = 0;
            var space = false;
            foreach (var c in phrase)
            {
                if (!char.IsLetter(c) && c != '\'' && c != '-') { space = true; continue; }
                if (space && length > 0) buffer[length++] = ' ';
                space = false;
                buffer[length++] = char.ToLowerInvariant(c);
            }
            if (phrases.Ratings.TryGetValue(buffer[..length], out var rating)) return rating;
        }
        return 0;
    }
}
