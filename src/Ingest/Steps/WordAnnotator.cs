using Pipeline.Ingest.Text;

namespace Pipeline.Ingest.Steps;

/// <summary>
/// Toxicity and demographics in one walk over the letter runs: both probe a word table per word, and
/// two walks loaded every run and tested its joiner twice. Toxicity's words are runs joined by
/// apostrophes, demographics' by hyphens; where no joiner follows a run (nearly everywhere) the run
/// is one word of each, otherwise each side takes its own joined word until the two meet again.
/// The results equal <see cref="ToxicityScorer.Score(string, LetterWords, string)"/> and
/// <see cref="DemographicCounter.Count(string, LetterWords)"/> (WordAnnotatorTests).
/// </summary>
public sealed class WordAnnotator(ToxicityScorer toxicity, DemographicCounter demographics)
{
    /// <summary>The toxicity score, and the demographic hits when <paramref name="countDemographics"/> (else none).</summary>
    public (double Toxicity, DemographicHits Demographics) Annotate(string text, LetterWords letterWords, string language, bool countDemographics)
    {
        var list = toxicity.ListFor(language);
        if (list is null || !countDemographics)
        {
            var score = list is null ? 0 : toxicity.Score(text, letterWords, language);
            return (score, countDemographics ? demographics.Count(text, letterWords) : DemographicHits.None);
        }
        var toxicityTally = toxicity.Tally(text, list);
        var demographicTally = demographics.Tally(text, stackalloc bool[demographics.EntryCount]);
        var runs = letterWords.Runs;
        // The next run of each side's next word.
        int apostropheWords = 0, hyphenWords = 0;
        while (apostropheWords < runs.Length || hyphenWords < runs.Length)
        {
            if (apostropheWords == hyphenWords && (apostropheWords + 1 == runs.Length || runs[apostropheWords + 1].Joiner == '\0'))
            {
                var run = runs[apostropheWords];
                var word = new JoinedWord(run.Start, run.Length, run.Hash);
                toxicityTally.Add(word);
                demographicTally.Add(word);
                apostropheWords++;
                hyphenWords++;
            }
            else if (apostropheWords <= hyphenWords)
            {
                toxicityTally.Add(JoinedWord.Next(runs, '\'', ref apostropheWords));
            }
            else
            {
                demographicTally.Add(JoinedWord.Next(runs, '-', ref hyphenWords));
            }
        }
        return (toxicityTally.Score(), demographics.Hits(demographicTally.Hits));
    }
}
