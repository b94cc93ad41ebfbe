using Pipeline.Dedup.Core;

namespace Pipeline.Dedup.Tests.Core;

public sealed class ShinglingTests
{
    [Fact]
    public void Word_five_grams_of_seven_words_are_three_distinct_shingles()
    {
        var shingler = new Shingler(new ShingleOptions());
        var hashes = new List<ulong>();
        shingler.Hash("a b c d e f g", hashes);
        Assert.Equal(3, hashes.Distinct().Count());
    }

    [Fact]
    public void Word_shingles_depend_on_word_order()
    {
        var shingler = new Shingler(new ShingleOptions { Size = 2 });
        Assert.Empty(shingler.DistinctSorted("a b").Intersect(shingler.DistinctSorted("b a")));
    }

    [Fact]
    public void Text_shorter_than_one_shingle_still_gets_one_and_empty_text_none()
    {
        var shingler = new Shingler(new ShingleOptions());
        Assert.Single(shingler.DistinctSorted("two words"));
        Assert.Empty(shingler.DistinctSorted(""));
        Assert.Single(new Shingler(new ShingleOptions { Kind = ShingleKind.Character, Size = 9 }).DistinctSorted("short"));
    }

    [Fact]
    public void Character_shingles_slide_one_character_at_a_time()
    {
        var shingler = new Shingler(new ShingleOptions { Kind = ShingleKind.Character, Size = 3 });
        Assert.Equal(4, shingler.DistinctSorted("abcdef").Length);
        Assert.Single(shingler.DistinctSorted("aaaaaa"));
    }
}
