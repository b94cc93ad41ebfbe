namespace Pipeline.Ingest.Tests.Steps;

/// <summary>Hand-made English text of an exact word count, varied so repetition rules do not fire.</summary>
internal static class Docs
{
    private static readonly string[] Vocabulary =
    [
        "the", "river", "town", "and", "market", "with", "bridge", "of", "people", "walked", "that", "morning", "to", "have", "seen",
        "boats", "under", "grey", "clouds", "while", "children", "played", "near", "old", "stone", "walls", "beside", "quiet", "gardens", "full",
        "yellow", "flowers", "farmers", "sold", "bread", "cheese", "apples", "honey", "wool", "candles", "baskets", "copper", "pots", "music",
    ];

    /// <summary>Sentences of eight words, one per line, each ending with a full stop.</summary>
    public static string English(int words, int seed = 1)
    {
        var random = new Random(seed);
        var lines = new List<string>();
        var sentence = new List<string>();
        for (var i = 0; i < words; i++)
        {
            sentence.Add(Vocabulary[random.Next(Vocabulary.Length)]);
            if (sentence.Count == 8 || i == words - 1)
            {
                sentence[0] = char.ToUpperInvariant(sentence[0][0]) + sentence[0][1..];
                lines.Add(string.Join(' ', sentence) + ".");
                sentence.Clear();
            }
        }
        return string.Join('\n', lines);
    }
}
