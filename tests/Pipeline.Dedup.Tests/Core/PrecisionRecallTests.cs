using Pipeline.Dedup.Core;
using Pipeline.Dedup.Tests.Support;
using Xunit.Abstractions;

namespace Pipeline.Dedup.Tests.Core;

/// <summary>
/// A labelled near-duplicate set built from 60 real Brown Corpus texts: each original plus perturbed
/// copies (word insertions, deletions, swapped sentences, boilerplate header and footer, case and
/// spacing changes; heavier 2 % edits on every third text) and spliced halves of two texts as hard
/// negatives. A removed copy is a true positive when the kept document it points at is its own
/// original or a sibling copy; recall counts the copies that had to go.
/// </summary>
public sealed class PrecisionRecallTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(true, 0.99, 0.90)]
    [InlineData(false, 0.95, 0.90)]
    public void Perturbed_real_documents_are_found_with_high_precision_and_recall(bool verify, double minPrecision, double minRecall)
    {
        var (texts, family) = LabelledSet.Build();
        var settings = new DedupSettings { VerifyCandidates = verify };
        var decisions = new InMemoryDeduplicator(settings).Deduplicate(texts);

        var removed = decisions.Where(d => !d.Kept).ToList();
        var truePositives = removed.Count(d => family[d.Cluster] == family[d.Index]);
        var shouldGo = texts.Count - family.Distinct().Count();
        var precision = removed.Count == 0 ? 1 : (double)truePositives / removed.Count;
        var recall = (double)truePositives / shouldGo;
        output.WriteLine($"verify={verify} documents={texts.Count} true duplicates={shouldGo} removed={removed.Count} precision={precision:F3} recall={recall:F3} lsh={settings.Lsh()}");

        Assert.True(precision >= minPrecision, $"precision {precision:F3}");
        Assert.True(recall >= minRecall, $"recall {recall:F3}");
    }
}
