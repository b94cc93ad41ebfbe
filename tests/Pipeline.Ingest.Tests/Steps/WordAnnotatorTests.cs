using Pipeline.Ingest.Processing;
using Pipeline.Ingest.Steps;
using Pipeline.Ingest.Text;

namespace Pipeline.Ingest.Tests.Steps;

/// <summary>The chain scores toxicity and counts demographics in one walk; each must equal its own walk.</summary>
public sealed class WordAnnotatorTests
{
    [Theory]
    [InlineData("don't-care non-binary African-American o'clock rock'n'roll she-devil x'-y -'z' ''quoted''")]
    [InlineData("You stupid idiot; she and her non-binary friend. Alligator bait!")]
    [InlineData("")]
    [InlineData("a")]
    [InlineData("it's-a-'he'-'n'-she's")]
    public void One_walk_equals_the_two_walks(string text) => AssertSameAsTwoWalks(new IngestChain(new IngestOptions(), []), text, "en");

    [Fact]
    public async Task One_walk_equals_the_two_walks_on_the_corpus_and_stress_documents()
    {
        var chain = new IngestChain(new IngestOptions(), []);
        foreach (var document in await Samples.LoadCorpusWithStressAsync(600, seed: 3))
        {
            var text = chain.Normalizer.Normalize(document.Text);
            foreach (var language in new[] { "en", "es", "unknown", "de" }) AssertSameAsTwoWalks(chain, text, language);
        }
    }

    private static void AssertSameAsTwoWalks(IngestChain chain, string text, string language)
    {
        var runs = LetterWords.Of(text);
        foreach (var countDemographics in new[] { true, false })
        {
            var (toxicity, demographics) = chain.Annotator.Annotate(text, runs, language, countDemographics);
            Assert.Equal(chain.Toxicity.Score(text, runs, language), toxicity);
            var expected = countDemographics ? chain.Demographics.Count(text, runs) : DemographicHits.None;
            Assert.Equal(expected.PronounFamilies, demographics.PronounFamilies);
            Assert.Equal(expected.IdentityTerms.Keys, demographics.IdentityTerms.Keys);
            foreach (var (axis, terms) in expected.IdentityTerms) Assert.Equal(terms, demographics.IdentityTerms[axis]);
        }
    }
}
