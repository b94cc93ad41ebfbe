using Pipeline.Ingest.Steps;
using Pipeline.Ingest.Text;

namespace Pipeline.Ingest.Tests.Text;

public sealed class WordTableTests
{
    private static readonly string[] Keys = ["a", "an", "the", "that", "about", "because", "together", "something", "für", "été", "ab'c", "non-binary", "x@y", "`q"];

    [Theory]
    [InlineData("THE")]
    [InlineData("tHe")]
    [InlineData("About")]
    [InlineData("BECAUSE")]
    [InlineData("TOGETHER")]
    [InlineData("SomeThing")]
    [InlineData("FÜR")]
    [InlineData("Été")]
    [InlineData("AB'C")]
    [InlineData("Non-Binary")]
    [InlineData("X@Y")]
    [InlineData("@q")]
    [InlineData("`Q")]
    [InlineData("thE ")]
    [InlineData("togethe")]
    [InlineData("A")]
    [InlineData("b")]
    [InlineData("a\0")]
    [InlineData("İs")]
    [InlineData("\u212A")]
    public void A_word_is_found_exactly_when_its_lower_case_is_a_key(string word) => AssertLikeDictionary(word);

    [Fact]
    public async Task Every_word_of_the_corpus_is_found_exactly_when_its_lower_case_is_a_stop_word()
    {
        var table = LanguageProfiles.Default.LatinLookup;
        var lowerKeys = new HashSet<string>(LanguageProfiles.Default.EnglishStopWords.Select(w => w.ToLowerInvariant()), StringComparer.Ordinal);
        var found = 0;
        foreach (var document in await Samples.LoadCorpusAsync())
        {
            foreach (var word in document.Text.Split([' ', '\n', '\t', ',', '.', '"', '(', ')'], StringSplitOptions.RemoveEmptyEntries))
            {
                var lower = Lower(word);
                var hit = table.Contains(WordHash.Of(lower), word);
                if (lowerKeys.Contains(lower)) Assert.True(hit, word);
                if (hit) found++;
            }
        }
        Assert.True(found > 1000);
    }

    [Fact]
    public void Looking_up_a_word_in_its_text_equals_looking_up_the_word_alone()
    {
        // Every start and length, so short words end the text (no masked read past it) and sit before
        // characters that are not part of them; "a\0" must not be "a", nor "İs" differ from "is".
        const string text = "The THE tHe aBOUT together SOMETHING Für ÉTÉ ab'c Non-Binary x@y `Q a\0 İs Kelvin\u212A is the";
        var table = new WordTable<int>(Keys.Append("is").Append("k").Select((key, i) => KeyValuePair.Create(key, i)));
        for (var start = 0; start < text.Length; start++)
        {
            for (var length = 0; start + length <= text.Length && length <= 12; length++)
            {
                var word = text.AsSpan(start, length);
                var hash = WordHash.Of(Lower(word.ToString()));
                var expected = table.TryGet(hash, word, out var expectedValue);
                Assert.Equal(expected, table.TryGet(hash, text, start, length, out var value));
                Assert.Equal(expectedValue, value);
            }
        }
        // A non-ASCII character that lower-cases to ASCII (if the runtime maps it so) still finds the ASCII key.
        Assert.Equal(WordHash.ToLower('İ') == 'i', table.Contains(WordHash.Of("is"), "İs"));
        Assert.Equal(WordHash.ToLower('\u212A') == 'k', table.Contains(WordHash.Of("k"), "\u212A"));
        Assert.True(table.Contains(WordHash.Of("is"), "IS"));
        Assert.False(table.Contains(WordHash.Of("a\0"), "a\0"));
    }

    private static void AssertLikeDictionary(string word)
    {
        var table = new WordTable<int>(Keys.Select((key, i) => KeyValuePair.Create(key, i)));
        var dictionary = Keys.Select((key, i) => (key, i)).ToDictionary(p => p.key, p => p.i, StringComparer.Ordinal);
        var lower = Lower(word);
        var expected = dictionary.TryGetValue(lower, out var expectedValue);
        Assert.Equal(expected, table.TryGet(WordHash.Of(lower), word, out var value));
        if (expected) Assert.Equal(expectedValue, value);
    }

    private static string Lower(string word) => string.Concat(word.Select(WordHash.ToLower));
}
