using Pipeline.Ingest.Processing;
using Pipeline.Ingest.Steps;
using Pipeline.Ingest.Text;

namespace Pipeline.Ingest.Tests.Chain;

/// <summary>
/// The chain finds letter runs once, on the normalised text, and carries them through C4's line
/// removal and PII replacement; language ID reads them instead of scanning. Each must equal doing it afresh.
/// </summary>
public sealed class LetterWordsEditTests
{
    [Fact]
    public async Task Runs_carried_through_line_removal_and_replacement_equal_tokenizing_the_new_text()
    {
        var chain = new IngestChain(new IngestOptions(), []);
        int removals = 0, replacements = 0;
        foreach (var document in await Samples.LoadCorpusWithStressAsync(600, seed: 7))
        {
            var text = chain.Normalizer.Normalize(document.Text);
            if (text.Length == 0) continue;
            var runs = LetterWords.Of(text);
            var view = new DocumentView(text);
            var c4 = chain.C4.Apply(view, english: true);
            if (c4.KeptView is { } kept)
            {
                runs.RemoveLines(view.Lines, c4.RemovedLines, kept.Lines);
                Assert.Equal(LetterWords.Of(kept.Text).Runs.ToArray(), runs.Runs.ToArray());
                text = kept.Text;
                removals++;
            }
            var pii = chain.Pii.Redact(text);
            if (pii.Replacements.Count == 0) continue;
            runs.Replace(text, pii.Text, pii.Replacements);
            Assert.Equal(LetterWords.Of(pii.Text).Runs.ToArray(), runs.Runs.ToArray());
            replacements++;
        }
        Assert.True(removals > 300 && replacements > 300, $"{removals} removals, {replacements} replacements checked");
    }

    [Theory]
    [InlineData("<EMAIL>x", 0, 3, 7)]
    [InlineData("ab'cd-ef 'g", 2, 4, 1)]
    [InlineData("don't", 3, 4, 0)]
    [InlineData("x-y z", 1, 2, 3)]
    public void Replacing_next_to_letters_and_joiners_equals_tokenizing_the_new_text(string before, int start, int end, int newLength)
    {
        var after = before[..start] + new string('q', newLength) + before[end..];
        var runs = LetterWords.Of(before);
        runs.Replace(before, after, [new TextReplacement(start, end, newLength)]);
        Assert.Equal(LetterWords.Of(after).Runs.ToArray(), runs.Runs.ToArray());
    }

    [Fact]
    public async Task Language_id_from_the_runs_equals_scanning_the_text()
    {
        var identifier = new LanguageIdentifier(new LanguageIdentifierOptions());
        var normalizer = new TextNormalizer();
        foreach (var document in await Samples.LoadCorpusWithStressAsync(600, seed: 7))
        {
            var text = normalizer.Normalize(document.Text);
            Assert.Equal(identifier.IdentifyByScan(text), identifier.Identify(text, LetterWords.Of(text)));
        }
    }
}
