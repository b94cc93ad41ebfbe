using Pipeline.Ingest.Steps;
using Pipeline.Ingest.Text;

namespace Pipeline.Ingest.Tests.Steps;

public sealed class FineWebFilterTests
{
    private readonly FineWebFilter _filter = new(new FineWebOptions());

    private FilterVerdict? Check(string text) => _filter.Check(new DocumentView(text));

    [Fact]
    public void Prose_passes() => Assert.Null(Check(Docs.English(300)));

    [Fact]
    public void Twelve_percent_or_fewer_punctuated_lines_are_dropped()
    {
        var lines = Enumerable.Range(0, 25).Select(i => $"a heading line without any final mark number {i}").ToList();
        var three = lines.Select((l, i) => i < 3 ? l + "." : l);
        var four = lines.Select((l, i) => i < 4 ? l + "." : l);
        Assert.Equal("fineweb:line_punctuation", Check(string.Join('\n', three))?.Reason);
        Assert.Null(Check(string.Join('\n', four)));
    }

    [Fact]
    public void More_than_two_thirds_short_lines_are_dropped()
    {
        var longLine = "This line is clearly longer than thirty characters in total.";
        var text = string.Join('\n', Enumerable.Range(0, 9).Select(i => i < 7 ? $"Short {i} line." : longLine + i));
        Assert.Equal("fineweb:short_lines", Check(text)?.Reason);
        var six = string.Join('\n', Enumerable.Range(0, 9).Select(i => i < 6 ? $"Short {i} line." : longLine + i));
        Assert.Null(Check(six));
    }

    [Fact]
    public void Duplicated_lines_above_one_percent_of_characters_are_dropped()
    {
        var text = Docs.English(400);
        Assert.Equal("fineweb:duplicate_line_chars", Check(text + "\nA repeated line of text that is long enough to count.\nA repeated line of text that is long enough to count.")?.Reason);
    }

    [Fact]
    public void More_than_three_newlines_per_ten_words_are_dropped()
    {
        var text = string.Join('\n', Enumerable.Range(0, 40).Select(i => $"Extraordinarily{i} longwinded{i} sentences."));
        Assert.Equal("fineweb:newlines_per_word", Check(text)?.Reason);
    }
}
