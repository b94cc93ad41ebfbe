namespace Pipeline.Dedup.Tests.Support;

/// <summary>The edits that turn a document into a near duplicate in real corpora: mirrored pages, light edits, templates.</summary>
internal static class Perturb
{
    private static readonly string[] Filler = ["really", "indeed", "however", "also", "quite", "then", "very", "still"];

    public static string InsertWords(string text, Random random, double rate)
    {
        var words = text.Split(' ').ToList();
        var inserts = Math.Max(1, (int)(words.Count * rate));
        for (var i = 0; i < inserts; i++) words.Insert(random.Next(words.Count), Filler[random.Next(Filler.Length)]);
        return string.Join(' ', words);
    }

    public static string DeleteWords(string text, Random random, double rate)
    {
        var words = text.Split(' ').ToList();
        var deletes = Math.Max(1, (int)(words.Count * rate));
        for (var i = 0; i < deletes && words.Count > 1; i++) words.RemoveAt(random.Next(words.Count));
        return string.Join(' ', words);
    }

    public static string SwapSentences(string text, Random random)
    {
        var sentences = text.Split(". ").ToList();
        if (sentences.Count < 3) return text + " ";
        var i = random.Next(sentences.Count - 1);
        var j = random.Next(sentences.Count - 1);
        (sentences[i], sentences[j]) = (sentences[j], sentences[i]);
        return string.Join(". ", sentences);
    }

    public static string AddBoilerplate(string text, int variant)
        => $"Posted by editor{variant} on March {variant % 28 + 1}, 2002 | Share this story | Comments ({variant})\n{text}\nAll rights reserved. Subscribe to our newsletter.";

    public static string ChangeCaseAndSpacing(string text) => text.ToUpperInvariant().Replace(" ", "  ");
}
