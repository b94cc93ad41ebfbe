namespace Pipeline.Dedup.Tests.Support;

/// <summary>
/// 60 real Brown texts with perturbed copies (insertions, deletions, swapped sentences, boilerplate,
/// case and spacing) and spliced hard negatives; <c>Family</c> labels which texts are copies of one another.
/// </summary>
internal static class LabelledSet
{
    public static (List<string> Texts, List<int> Family) Build()
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
