using Pipeline.Ingest.Steps;
using Pipeline.Ingest.Text;

namespace Pipeline.Ingest.Tests.Steps;

public sealed class GopherRepetitionFilterTests
{
    private static FilterVerdict? Check(string text, GopherRepetitionOptions? options = null) =>
        new GopherRepetitionFilter(options ?? new GopherRepetitionOptions()).Check(new DocumentView(text));

    [Fact]
    public void Varied_text_passes() => Assert.Null(Check(Docs.English(400)));

    [Fact]
    public void Duplicate_lines_above_thirty_percent_of_lines_are_dropped()
    {
        // Only the line-count rule is under test here; the character rules are loosened.
        var options = new GopherRepetitionOptions { MaxDuplicateLineCharFraction = 1, MaxDuplicateParagraphCharFraction = 1, MaxTopNGramCharFraction = [1, 1, 1], MaxDuplicateNGramCharFraction = [1, 1, 1, 1, 1, 1] };
        var lines = Docs.English(80).Split('\n').ToList();
        Assert.Equal(10, lines.Count);
        var three = lines.Concat(Enumerable.Repeat("Same line again here.", 4)).ToList();
        Assert.Null(Check(string.Join('\n', three.Take(13)), options));
        Assert.Equal("gopher_repetition:duplicate_lines", Check(string.Join('\n', lines.Concat(Enumerable.Repeat("Same line again here.", 6))), options)?.Reason);
    }

    [Fact]
    public void Characters_in_duplicate_lines_above_twenty_percent_are_dropped()
    {
        var text = Docs.English(400);
        var line = "This exact sentence of forty-five characters.";
        var below = text + "\n" + string.Join('\n', Enumerable.Repeat(line, 10));
        var above = text + "\n" + string.Join('\n', Enumerable.Repeat(line, 16));
        var loose = new GopherRepetitionOptions { MaxDuplicateLineFraction = 1, MaxDuplicateNGramCharFraction = [1, 1, 1, 1, 1, 1], MaxTopNGramCharFraction = [1, 1, 1] };
        Assert.Null(Check(below, loose));
        Assert.Equal("gopher_repetition:duplicate_line_chars", Check(above, loose)?.Reason);
    }

    [Fact]
    public void A_dominant_bigram_is_dropped()
    {
        var text = string.Join(' ', Enumerable.Range(0, 100).Select(i => i % 2 == 0 ? "buy now" : $"item{i}")) + ".";
        Assert.StartsWith("gopher_repetition:top_2gram", Check(text)?.Reason);
    }

    [Fact]
    public void Repeated_long_ngrams_are_dropped()
    {
        var phrase = "one two three four five six seven eight nine ten";
        var text = Docs.English(200) + " " + string.Join(" x ", Enumerable.Repeat(phrase, 5));
        Assert.StartsWith("gopher_repetition:duplicate_", Check(text, new GopherRepetitionOptions { MaxTopNGramCharFraction = [1, 1, 1] })?.Reason);
    }
}
