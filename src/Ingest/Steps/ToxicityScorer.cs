using Pipeline.Ingest.Text;

namespace Pipeline.Ingest.Steps;

/// <summary>
/// Score in [0, 1]: 1 - exp(-d / scale), d being severity-weighted lexicon hits per 100 words. A
/// density rather than a count, so one swear word in a long article stays low while a short rant
/// full of them is near 1. Phrases of several words ("alligator bait") are matched too.
/// </summary>
public sealed class ToxicityScorer(ToxicityOptions options, ToxicityLexicon lexicon)
{
    public ToxicityScorer(ToxicityOptions options) : this(options, ToxicityLexicon.Default) { }

    /// <summary>Whether <paramref name="language"/> has a list (other languages score 0 without a look at the text).</summary>
    public bool Measures(string language) => lexicon.For(language) is not null;

    public double Score(string text, string language) => Score(text, LetterWords.Of(text), language);

    /// <summary>Scores <paramref name="text"/> from its letter runs (found once and shared with the demographics step).</summary>
    public double Score(string text, LetterWords letterWords, string language)
    {
        if (lexicon.For(language) is not { } list) return 0;
        var tally = Tally(text, list);
        var runs = letterWords.Runs;
        var run = 0;
        while (run < runs.Length) tally.Add(JoinedWord.Next(runs, '\'', ref run));
        return tally.Score();
    }

    /// <summary>A tally for <paramref name="language"/>'s list; null when the language has none.</summary>
    internal ToxicityLexicon.LanguageList? ListFor(string language) => lexicon.For(language);

    internal ToxicityTally Tally(string text, ToxicityLexicon.LanguageList list) => new(options, list, text);
}
