using Pipeline.Ingest.Text;

namespace Pipeline.Ingest.Tests.Text;

/// <summary>The repetition filter hashes words in place (masked reads past a short word's end); equal words must hash equal wherever they sit.</summary>
public sealed class ShortTextHashTests
{
    [Fact]
    public void Hashing_in_place_equals_hashing_the_word_alone_at_every_position_and_length()
    {
        const string text = "Ab cd éf\u4e2dgh ijklmnop qrstuvwxyz0123456789 😀z x";
        for (var start = 0; start < text.Length; start++)
        {
            for (var length = 0; start + length <= text.Length && length <= 40; length++)
                Assert.Equal(ShortTextHash.Of(text.AsSpan(start, length)), ShortTextHash.At(text, start, length));
        }
    }

    [Fact]
    public void Words_that_differ_in_one_character_or_in_length_hash_differently()
    {
        string[] words = ["", "a", "b", "ab", "ba", "abc", "abcd", "abcde", "abcdf", "abcdefgh", "abcdefgi", "abcdefghi", "a\0", "A"];
        Assert.Equal(words.Length, words.Select(w => ShortTextHash.Of(w)).Distinct().Count());
    }
}
