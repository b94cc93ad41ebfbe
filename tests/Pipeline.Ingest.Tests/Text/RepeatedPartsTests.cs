using Pipeline.Ingest.Text;

namespace Pipeline.Ingest.Tests.Text;

/// <summary>Only parts whose length another part shares are hashed; the counts must be those of comparing every part.</summary>
public sealed class RepeatedPartsTests
{
    [Theory]
    [InlineData("a\nb\na\nab\nba\nab\nabc\nb")]
    [InlineData("same\nsame\nsame\nSAME\nsam\nsame ")]
    [InlineData("one line only")]
    [InlineData("x\ny\nz\nxy\nyz\nxyz")]
    public void Counts_equal_comparing_each_line_with_the_earlier_ones(string text)
    {
        var view = new DocumentView(text);
        var lines = view.Lines.ToArray().Select(range => text[range]).ToList();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var count = 0;
        double chars = 0;
        foreach (var line in lines)
        {
            if (seen.Add(line)) continue;
            count++;
            chars += line.Length;
        }
        Assert.Equal(new RepeatedParts(count, chars), view.RepeatedLines);
    }
}
