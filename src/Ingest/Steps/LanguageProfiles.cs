using System.Reflection;
using System.Text.Json;
using Pipeline.Ingest.Text;

namespace Pipeline.Ingest.Steps;

/// <summary>
/// Stop-word lists of the supported languages (npm stopwords-iso, MIT, embedded): a word maps to the
/// set of languages that list it, so a word shared by several languages counts less for each.
/// </summary>
public sealed class LanguageProfiles
{
    public static readonly string[] Latin = ["en", "de", "fr", "es", "it", "nl", "pt", "sv"];
    public static readonly string[] Supported = ["en", "de", "fr", "es", "it", "nl", "pt", "sv", "ru", "zh"];
    private static readonly Lazy<LanguageProfiles> Embedded = new(Load);

    private readonly Dictionary<string, int> _latinMasks = new(StringComparer.Ordinal);
    private readonly HashSet<string> _russian = new(StringComparer.Ordinal);

    private LanguageProfiles(Dictionary<string, string[]> lists)
    {
        for (var i = 0; i < Latin.Length; i++)
        {
            foreach (var word in lists[Latin[i]])
            {
                var key = word.ToLowerInvariant();
                _latinMasks[key] = _latinMasks.GetValueOrDefault(key) | (1 << i);
            }
        }
        foreach (var word in lists["ru"]) _russian.Add(word.ToLowerInvariant());
        LatinLookup = new WordTable<int>(_latinMasks);
        RussianLookup = new WordTable<bool>(_russian.Select(word => KeyValuePair.Create(word, true)));
        EnglishStopWords = lists["en"];
    }

    public static LanguageProfiles Default => Embedded.Value;

    /// <summary>Lower-case word to a bit mask over <see cref="Latin"/>.</summary>
    public WordTable<int> LatinLookup { get; }
    public WordTable<bool> RussianLookup { get; }
    public IReadOnlyList<string> EnglishStopWords { get; }

    private static LanguageProfiles Load()
    {
        using var stream = typeof(LanguageProfiles).Assembly.GetManifestResourceStream("Pipeline.Ingest.stopwords.json")
            ?? throw new InvalidOperationException("Embedded resource stopwords.json is missing.");
        var lists = JsonSerializer.Deserialize<Dictionary<string, string[]>>(stream)
            ?? throw new InvalidDataException("stopwords.json is empty.");
        return new LanguageProfiles(lists);
    }
}
