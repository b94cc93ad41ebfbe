using System.Text.Json;
using Pipeline.Ingest.Text;

namespace Pipeline.Ingest.Steps;

/// <summary>
/// Graded profanity lists (npm cuss, MIT, embedded) for en es fr it pt. cuss rates each entry 0 (not
/// likely profane: "american", "africa"), 1 (maybe) or 2 (likely); 0 entries are dropped, so naming
/// a group of people is never scored as toxic.
/// </summary>
public sealed class ToxicityLexicon
{
    private static readonly Lazy<ToxicityLexicon> Embedded = new(Load);
    private readonly Dictionary<string, LanguageList> _byLanguage;

    /// <summary>Multi-word entries, keyed by their words joined with single spaces.</summary>
    public sealed record PhraseIndex(Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> Ratings, int MaxWords);

    /// <summary>A single word's rating (0 when it is only the last word of a phrase) and whether some phrase ends with it.</summary>
    public readonly record struct WordEntry(int Rating, bool EndsPhrase);

    /// <summary>Words: every single-word entry and every phrase's last word, so one lookup per word of the text.</summary>
    public sealed record LanguageList(WordTable<WordEntry> Words, PhraseIndex Phrases);

    private ToxicityLexicon(Dictionary<string, Dictionary<string, int>> byLanguage)
    {
        _byLanguage = byLanguage.ToDictionary(pair => pair.Key, pair => Build(pair.Value.Where(entry => entry.Value > 0)));
    }

    private static LanguageList Build(IEnumerable<KeyValuePair<string, int>> entries)
    {
        var words = new Dictionary<string, int>(StringComparer.Ordinal);
        var phrases = new Dictionary<string, int>(StringComparer.Ordinal);
        var lastWords = new HashSet<string>(StringComparer.Ordinal);
        var maxWords = 1;
        foreach (var (key, rating) in entries)
        {
            var parts = key.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 1) { words[key] = rating; continue; }
            phrases[string.Join(' ', parts)] = rating;
            lastWords.Add(parts[^1]);
            maxWords = Math.Max(maxWords, parts.Length);
        }
        var table = words.Keys.Union(lastWords, StringComparer.Ordinal)
            .Select(word => KeyValuePair.Create(word, new WordEntry(words.GetValueOrDefault(word), lastWords.Contains(word))));
        return new LanguageList(new WordTable<WordEntry>(table), new PhraseIndex(phrases.GetAlternateLookup<ReadOnlySpan<char>>(), maxWords));
    }

    public static ToxicityLexicon Default => Embedded.Value;

    public IReadOnlyCollection<string> Languages => _byLanguage.Keys;

    /// <summary>
    /// The list for a language; English for "unknown" (mostly English-like noise). Null for the other
    /// languages: an English list on German text flags harmless words ("dick" = thick), so those are not scored.
    /// </summary>
    public LanguageList? For(string language) =>
        _byLanguage.TryGetValue(language, out var list) ? list : language == LanguageResult.Unknown ? _byLanguage["en"] : null;

    private static ToxicityLexicon Load()
    {
        using var stream = typeof(ToxicityLexicon).Assembly.GetManifestResourceStream("Pipeline.Ingest.toxicity-lexicon.json")
            ?? throw new InvalidOperationException("Embedded resource toxicity-lexicon.json is missing.");
        return new ToxicityLexicon(JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, int>>>(stream)
            ?? throw new InvalidDataException("toxicity-lexicon.json is empty."));
    }
}
