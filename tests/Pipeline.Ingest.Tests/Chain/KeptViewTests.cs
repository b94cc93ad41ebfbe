using Pipeline.Ingest.Processing;
using Pipeline.Ingest.Text;

namespace Pipeline.Ingest.Tests.Chain;

public sealed class KeptViewTests
{
    [Fact]
    public async Task The_view_C4_moves_over_equals_splitting_its_text_again()
    {
        var chain = new IngestChain(new IngestOptions(), []);
        var checkedViews = 0;
        foreach (var document in await Samples.LoadCorpusWithStressAsync(300, seed: 11))
        {
            var text = chain.Normalizer.Normalize(document.Text);
            if (text.Length == 0) continue;
            var c4 = chain.C4.Apply(new DocumentView(text), english: true);
            if (c4.KeptView is not { } moved) continue;
            var split = new DocumentView(c4.Text);
            Assert.Equal(split.Text, moved.Text);
            Assert.Equal(split.Lines.ToArray(), moved.Lines.ToArray());
            Assert.Equal(split.Paragraphs.ToArray(), moved.Paragraphs.ToArray());
            Assert.Equal(split.Words.ToArray(), moved.Words.ToArray());
            Assert.Equal(split.LineWordEnds.ToArray(), moved.LineWordEnds.ToArray());
            Assert.Equal(split.NewlineCount, moved.NewlineCount);
            Assert.Equal(split.WordCharacters, moved.WordCharacters);
            Assert.Equal(split.CjkCharacters, moved.CjkCharacters);
            checkedViews++;
        }
        Assert.True(checkedViews > 300, $"{checkedViews} views checked");
    }
}
