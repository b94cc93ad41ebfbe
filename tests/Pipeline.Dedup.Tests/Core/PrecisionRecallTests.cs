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
        var (texts, family) = BuildLabelledSet();
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

    private static (List<string> Texts, List<int> Family) BuildLabelledSet()
    {
        var random = new Random(20230718);
        var texts = new List<string>();
        var family = new List<int>();
        var originals = SampleData.Brown();
        for (var f = 0; f < originals.Count; f++)
        {
            var text = originals[f].Text;
            string[] copies = f % 3 == 0
                ? [text, Perturb.InsertWords(text, random, 0.02), Perturb.DeleteWords(Perturb.SwapSentences(text, random), random, 0.02)]
                : [
                    text,
                    Perturb.InsertWords(text, random, 0.01),
                    Perturb.DeleteWords(text, random, 0.01),
                    Perturb.SwapSentences(text, random),
                    Perturb.AddBoilerplate(text, f),
                    Perturb.ChangeCaseAndSpacing(text),
                ];
            foreach (var copy in copies)
            {
                texts.Add(copy);
                family.Add(f);
            }
            if (f % 4 == 1)
            {
                // Hard negative: half of this text spliced onto half of the next shares long passages with
                // both (Jaccard about 1/3) but duplicates neither, so it must be kept.
                var next = originals[(f + 1) % originals.Count].Text;
                texts.Add(text[..(text.Length / 2)] + " " + next[(next.Length / 2)..]);
                family.Add(originals.Count + f);
            }
        }
        // Shuffle so the original is not always first: the keep rule is about input order, not about originals.
        var order = Enumerable.Range(0, texts.Count).OrderBy(_ => random.Next()).ToArray();
        return (order.Select(i => texts[i]).ToList(), order.Select(i => family[i]).ToList());
    }
}
