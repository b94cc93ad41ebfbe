using Pipeline.Ingest.Steps;

namespace Pipeline.Ingest.Tests.Steps;

public sealed class ToxicityAndDemographicsTests
{
    private readonly ToxicityScorer _scorer = new(new ToxicityOptions());

    [Fact]
    public void Clean_prose_scores_zero() => Assert.Equal(0, _scorer.Score(Docs.English(200), "en"));

    [Fact]
    public void A_short_rant_full_of_strong_words_scores_above_one_half()
    {
        var score = _scorer.Score("You stupid idiot, this is crap and you are a moron. What a dumb, stupid mess.", "en");
        Assert.InRange(score, 0.5, 1);
    }

    [Fact]
    public void One_mild_word_in_a_long_text_stays_low()
    {
        var score = _scorer.Score(Docs.English(500) + " Damn.", "en");
        Assert.InRange(score, 0.0001, 0.05);
    }

    [Fact]
    public void Words_cuss_rates_not_profane_do_not_count() =>
        Assert.Equal(0, _scorer.Score("The american and african delegates met the angry adult amateur.", "en"));

    [Fact]
    public void Spanish_text_is_scored_with_the_Spanish_list() =>
        Assert.True(_scorer.Score("Eres un abanto y un adefesio, abanto.", "es") > 0.5);

    [Fact]
    public void Languages_without_a_list_are_not_scored_with_the_English_one() =>
        Assert.Equal(0, _scorer.Score("Der dicke Hund, welcher dick und faul ist, schläft.", "de"));

    [Fact]
    public void Demographics_record_pronoun_families_and_identity_terms_by_axis()
    {
        var hits = new DemographicCounter().Count("She said he was an American Christian, and they met two gay women.");
        Assert.Equal(["3rd_person", "he", "she", "unspecified"], hits.PronounFamilies);
        Assert.Equal(["american"], hits.IdentityTerms["nationality"]);
        Assert.Equal(["christian"], hits.IdentityTerms["religion"]);
        Assert.Equal(["gay"], hits.IdentityTerms["sexual_orientation"]);
        Assert.Equal(["women"], hits.IdentityTerms["gender_and_sex"]);
    }
}
