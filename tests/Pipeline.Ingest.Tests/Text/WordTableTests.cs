using Pipeline.Ingest.Benchmarks;
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
    public void A_word_is_found_exactly_when_its_lower_case_is_a_key(string word) => AssertLikeDictionary(word);

    [Fact]
    public async Task Every_word_of_the_corpus_is_found_exactly_when_its_lower_case_is_a_stop_word()
    {
        var files = Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "samples", "corpus"), "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal);
        var table = LanguageProfiles.Default.LatinLookup;
        var lowerKeys = new HashSet<string>(LanguageProfiles.Default.EnglishStopWords.Select(w => w.ToLowerInvariant()), StringComparer.Ordinal);
        var found = 0;
        foreach (var document in await IngestBenchmark.LoadAsync(files))
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
