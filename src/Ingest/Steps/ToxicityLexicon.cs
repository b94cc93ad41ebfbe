using System.Text.Json;

namespace Pipeline.Ingest.Steps;

/// <summary>
/// Graded profanity lists (npm cuss, MIT, embedded) for en es fr it pt. cuss rates each entry 0 (not
/// likely profane: "american", "africa"), 1 (maybe) or 2 (likely); 0 entries are dropped, so naming
/// a group of people is never scored as toxic.
/// </summary>
public sealed class ToxicityLexicon
{
    private static readonly Lazy<ToxicityLexicon> Embedded = new(Load);
    private readonly Dictionary<string, Dictionary<string, int>> _byLanguage;

    private ToxicityLexicon(Dictionary<string, Dictionary<string, int>> byLanguage)
    {
        _byLanguage = byLanguage.ToDictionary(
            pair => pair.Key,
            pair => pair.Value.Where(entry => entry.Value > 0).ToDictionary(entry => entry.Key, entry => entry.Value, StringComparer.Ordinal));
        MaxPhraseWords = _byLanguage.Values.SelectMany(words => words.Keys).Max(key => key.Count(c => c == ' ') + 1);
    }

    public static ToxicityLexicon Default => Embedded.Value;

    public int MaxPhraseWords { get; }

    public IReadOnlyCollection<string> Languages => _byLanguage.Keys;

    /// <summary>
    /// The list for a language; English for "unknown" (mostly English-like noise). Null for the other
    /// languages: an English list on German text flags harmless words ("dick" = thick), so those are not scored.
    /// </summary>
    public Dictionary<string, int>? For(string language) =>
        _byLanguage.TryGetValue(language, out var words) ? words : language == LanguageResult.Unknown ? _byLanguage["en"] : null;

    private static ToxicityLexicon Load()
    {
        using var stream = typeof(ToxicityLexicon).Assembly.GetManifestResourceStream("Pipeline.Ingest.toxicity-lexicon.json")
            ?? throw new InvalidOperationException("Embedded resource toxicity-lexicon.json is missing.");
        return new ToxicityLexicon(JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, int>>>(stream)
            ?? throw new InvalidDataException("toxicity-lexicon.json is empty."));
    }
}
