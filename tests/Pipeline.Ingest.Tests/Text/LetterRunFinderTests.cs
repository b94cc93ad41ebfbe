using Pipeline.Ingest.Processing;
using Pipeline.Ingest.Text;

namespace Pipeline.Ingest.Tests.Text;

/// <summary>
/// The run finder works 64 characters at a time with a letter mask and hashes short ASCII runs without
/// a loop; it must find exactly the runs, hashes and joiners of the scan one character at a time.
/// </summary>
public sealed class LetterRunFinderTests
{
    [Theory]
    [InlineData("")]
    [InlineData("a")]
    [InlineData("Don't stop-believing, O'Brien--x ''y'' -z- 'q")]
    [InlineData("Größe Straße ÆRØ İstanbul ǅemal ΣΊΣΥΦΟΣ Привет 这是 これは 😀👩‍💻 x\u200by")]
    [InlineData("abcdefgh abcdefghi ABCDEFGH AbCdEfGhI a1b2c3 _a_ `a` @a[ {z} z")]
    public void Short_texts_give_the_runs_of_the_scan_per_character(string text)
    {
        // Every length and every start inside a 64-character block, so runs cross blocks and end the text everywhere.
        var repeated = string.Concat(Enumerable.Repeat(text + " ", 12));
        for (var length = 0; length <= repeated.Length; length++) AssertSameRuns(repeated[..length]);
        for (var shift = 1; shift < 70; shift++) AssertSameRuns(new string('x', shift) + repeated);
    }

    [Fact]
    public void Runs_longer_than_a_block_give_the_runs_of_the_scan_per_character()
    {
        foreach (var length in new[] { 63, 64, 65, 127, 128, 129, 200 })
        {
            AssertSameRuns(new string('a', length));
            AssertSameRuns("'" + new string('B', length) + "-c");
            AssertSameRuns(" " + new string('é', length) + new string('z', length));
        }
    }

    [Fact]
    public async Task Corpus_and_stress_documents_give_the_runs_of_the_scan_per_character()
    {
        var normalizer = new IngestChain(new IngestOptions(), []).Normalizer;
        foreach (var document in await Samples.LoadCorpusWithStressAsync(600, seed: 11))
        {
            AssertSameRuns(document.Text);
            AssertSameRuns(normalizer.Normalize(document.Text));
        }
    }

    private static void AssertSameRuns(string text)
    {
        var expected = new LetterWords();
        expected.TokenizeOneByOne(text);
        Assert.Equal(expected.Runs.ToArray(), LetterWords.Of(text).Runs.ToArray());
    }
}
