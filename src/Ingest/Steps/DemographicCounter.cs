using Pipeline.Ingest.Text;

namespace Pipeline.Ingest.Steps;

/// <summary>
/// Presence per document of each pronoun family and identity term; the report divides by the number
/// of documents, as Table 9 reports document shares, not word counts. English only, as in the paper.
/// Words are letter runs joined by single hyphens ("non-binary"), compared lower-cased.
/// </summary>
public sealed class DemographicCounter
{
    private readonly List<(List<string> Families, List<(string Axis, string Term)> Terms)> _entries = [];
    private readonly WordTable<int> _lookup;

    public DemographicCounter()
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (family, words) in DemographicTerms.Pronouns)
        {
            foreach (var word in words) Entry(index, word).Families.Add(family);
        }
        foreach (var (axis, terms) in DemographicTerms.IdentityAxes)
        {
            foreach (var term in terms) Entry(index, term).Terms.Add((axis, term));
        }
        _lookup = new WordTable<int>(index);
    }

    private (List<string> Families, List<(string Axis, string Term)> Terms) Entry(Dictionary<string, int> index, string word)
    {
        if (!index.TryGetValue(word, out var entry))
        {
            index[word] = entry = _entries.Count;
            _entries.Add(([], []));
        }
        return _entries[entry];
    }

    /// <summary>How many entries a tally's seen-flags need (one per distinct word of the lists).</summary>
    internal int EntryCount => _entries.Count;

    public DemographicHits Count(string text) => Count(text, LetterWords.Of(text));

    /// <summary>Counts from the letter runs of <paramref name="text"/> (found once and shared with the toxicity step).</summary>
    public DemographicHits Count(string text, LetterWords letterWords)
    {
        var tally = Tally(text, stackalloc bool[EntryCount]);
        var runs = letterWords.Runs;
        var run = 0;
        while (run < runs.Length) tally.Add(JoinedWord.Next(runs, '-', ref run));
        return Hits(tally.Hits);
    }

    /// <summary>A tally whose seen-flags are <paramref name="seen"/> (<see cref="EntryCount"/> of them, all false).</summary>
    internal DemographicTally Tally(string text, Span<bool> seen) => new(_lookup, seen, text);

    /// <summary>The families and terms of the entries hit.</summary>
    internal DemographicHits Hits(IReadOnlyList<int> entries)
    {
        if (entries.Count == 0) return DemographicHits.None;
        HashSet<string>? families = null;
        Dictionary<string, SortedSet<string>>? terms = null;
        foreach (var index in entries)
        {
            var entry = _entries[index];
            foreach (var family in entry.Families) (families ??= []).Add(family);
            foreach (var (axis, term) in entry.Terms)
            {
                terms ??= [];
                if (!terms.TryGetValue(axis, out var set)) terms[axis] = set = new SortedSet<string>(StringComparer.Ordinal);
                set.Add(term);
            }
        }
        if (families is null && terms is null) return DemographicHits.None;
        return new DemographicHits(
            families?.Order(StringComparer.Ordinal).ToList() ?? [],
            terms?.ToDictionary(pair => pair.Key, pair => (IReadOnlyList<string>)pair.Value.ToList()) ?? new Dictionary<string, IReadOnlyList<string>>());
    }
}
