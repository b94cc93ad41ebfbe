using Pipeline.Ingest.Processing;
using Pipeline.Ingest.Text;

namespace Pipeline.Ingest.Tests.Text;

/// <summary>C4 counts a line's words from the split's per-line word ends instead of walking the words.</summary>
public sealed class LineWordEndsTests
{
    [Fact]
    public async Task Each_line_holds_exactly_the_words_inside_it()
    {
        var normalizer = new IngestChain(new IngestOptions(), []).Normalizer;
        foreach (var document in await Samples.LoadCorpusWithStressAsync(300, seed: 5))
        {
            var view = new DocumentView(normalizer.Normalize(document.Text));
            var lines = view.Lines;
            Assert.Equal(lines.Length, view.LineWordEnds.Length);
            var words = view.Words.ToArray();
            for (var line = 0; line < lines.Length; line++)
            {
                var (start, end) = (lines[line].Start.Value, lines[line].End.Value);
                var inside = words.Count(w => w.Start.Value >= start && w.End.Value <= end);
                var first = line == 0 ? 0 : view.LineWordEnds[line - 1];
                Assert.Equal(inside, view.LineWordEnds[line] - first);
                Assert.All(words[first..view.LineWordEnds[line]], w => Assert.True(w.Start.Value >= start && w.End.Value <= end));
            }
        }
    }
}
