using Pipeline.Ingest.Steps;
using Pipeline.Ingest.Text;

namespace Pipeline.Ingest.Tests.Steps;

public sealed class GopherQualityFilterTests
{
    private readonly GopherQualityFilter _filter = new(new GopherQualityOptions());

    private FilterVerdict? Check(string text, bool english = true) => _filter.Check(new DocumentView(text), english);

    [Fact]
    public void Fifty_words_pass_and_forty_nine_are_too_few()
    {
        Assert.Null(Check(Docs.English(50)));
        Assert.Equal("gopher_quality:word_count", Check(Docs.English(49))?.Reason);
    }

    [Fact]
    public void Mean_word_length_must_stay_between_three_and_ten()
    {
        var shortWords = string.Join(' ', Enumerable.Repeat("the ox of an ax to be", 10)) + ".";
        Assert.Equal("gopher_quality:mean_word_length", Check(shortWords)?.Reason);
        var longWords = "the and " + string.Join(' ', Enumerable.Range(0, 60).Select(i => $"extraordinarily{i}")) + ".";
        Assert.Equal("gopher_quality:mean_word_length", Check(longWords)?.Reason);
    }

    [Fact]
    public void Hash_and_ellipsis_words_above_one_in_ten_are_dropped()
    {
        var words = Docs.English(100).Split(' ', '\n');
        for (var i = 0; i < 10; i++) words[i * 10 + 1] = "#tag";
        Assert.Null(Check(string.Join(' ', words)));
        words[5] = "#more";
        Assert.Equal("gopher_quality:symbol_word_ratio", Check(string.Join(' ', words))?.Reason);
    }

    [Fact]
    public void Bullet_lines_above_ninety_percent_are_dropped()
    {
        var lines = Docs.English(160).Split('\n');
        Assert.Equal(20, lines.Length);
        var bulleted = lines.Select((l, i) => i < 18 ? "* " + l : l).ToArray();
        Assert.Null(Check(string.Join('\n', bulleted)));
        bulleted[18] = "- " + lines[18];
        Assert.Equal("gopher_quality:bullet_lines", Check(string.Join('\n', bulleted))?.Reason);
    }

    [Fact]
    public void Lines_ending_in_an_ellipsis_above_thirty_percent_are_dropped()
    {
        var lines = Docs.English(160).Split('\n');
        var six = lines.Select((l, i) => i < 6 ? l.TrimEnd('.') + "..." : l).ToArray();
        Assert.Null(Check(string.Join('\n', six)));
        var seven = lines.Select((l, i) => i < 7 ? l.TrimEnd('.') + "..." : l).ToArray();
        Assert.Equal("gopher_quality:ellipsis_lines", Check(string.Join('\n', seven))?.Reason);
    }

    [Fact]
    public void Fewer_than_eighty_percent_words_with_a_letter_are_dropped()
    {
        var words = Docs.English(100).Split(' ', '\n');
        for (var i = 0; i < 20; i++) words[i * 5 + 2] = "1234";
        Assert.Null(Check(string.Join(' ', words)));
        words[3] = "99";
        Assert.Equal("gopher_quality:alphabetic_words", Check(string.Join(' ', words))?.Reason);
    }

    [Fact]
    public void English_needs_two_stop_words_but_other_languages_skip_the_rule()
    {
        var noStopWords = string.Join(' ', Enumerable.Range(0, 60).Select(i => $"river{i % 7} market{i % 5}")) + ".";
        Assert.Equal("gopher_quality:stop_words", Check(noStopWords)?.Reason);
        Assert.Null(Check(noStopWords, english: false));
        Assert.Null(Check("the " + noStopWords + " with"));
    }

    [Theory]
    [InlineData("#a b#c ## d")]
    [InlineData("wait... what.... …no …… a.b.c ...")]
    [InlineData("#x... y…# z 中#文... 。。。 ...中")]
    [InlineData("no symbols here at all")]
    [InlineData("#")]
    public void Symbol_words_found_from_positions_equal_searching_every_word(string text) => AssertSymbolWordsAsSearched(new DocumentView(text));

    [Fact]
    public async Task Symbol_words_of_the_corpus_and_its_stress_variants_equal_searching_every_word()
    {
        var normalizer = new TextNormalizer();
        foreach (var document in await Samples.LoadCorpusWithStressAsync(600, seed: 7))
        {
            var text = normalizer.Normalize(document.Text);
            if (text.Length > 0) AssertSymbolWordsAsSearched(new DocumentView(text));
        }
    }

    private static void AssertSymbolWordsAsSearched(DocumentView view)
    {
        var expected = 0;
        foreach (var range in view.Words)
        {
            var word = view.Span(range);
            if (word.Contains('#')) expected++;
            if (word.Contains("...", StringComparison.Ordinal) || word.Contains('…')) expected++;
        }
        Assert.Equal(expected, GopherQualityFilter.SymbolWords(view));
    }
}
