using Pipeline.Ingest.Text;

namespace Pipeline.Ingest.Tests.Steps;

public sealed class TextNormalizerTests
{
    private readonly TextNormalizer _normalizer = new();

    [Fact]
    public void Decomposed_accents_become_composed_so_equal_text_compares_equal() =>
        Assert.Equal("Caf\u00e9 cr\u00e8me", _normalizer.Normalize("Cafe\u0301 cre\u0300me"));

    [Fact]
    public void Runs_of_spaces_tabs_and_unicode_spaces_collapse_to_one_space() =>
        Assert.Equal("a b c d", _normalizer.Normalize("a  \tb\u00a0\u2003c   d"));

    [Fact]
    public void Control_and_zero_width_characters_are_removed() =>
        Assert.Equal("bell and zero width", _normalizer.Normalize("bell\u0007 and zero\u200b width\u0000"));

    [Fact]
    public void Line_breaks_are_unified_and_blank_lines_limited_to_one() =>
        Assert.Equal("one\ntwo\n\nthree", _normalizer.Normalize("  one  \r\ntwo\r\n\r\n\r\n\n  three \n\n"));

    [Fact]
    public void Clean_text_is_returned_as_is()
    {
        const string text = "Already clean.\nTwo lines.";
        Assert.Same(text, _normalizer.Normalize(text));
    }
}
