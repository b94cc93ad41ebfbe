using Pipeline.Ingest.Text;

namespace Pipeline.Ingest.Steps;

/// <summary>
/// Presence per document of each pronoun family and identity term; the report divides by the number
/// of documents, as Table 9 reports document shares, not word counts. English only, as in the paper.
/// Words are letter runs joined by single hyphens ("non-binary"), compared lower-cased.
/// </summary>
public sealed class DemographicCounter
{
    private const int MaxWordLength = 32;
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

    public DemographicHits Count(string text) => Count(text, LetterWords.Of(text));

    /// <summary>Counts from the letter runs of <paramref name="text"/> (found once and shared with the toxicity step).</summary>
    public DemographicHits Count(string text, LetterWords letterWords)
    {
        HashSet<string>? families = null;
        Dictionary<string, SortedSet<string>>? terms = null;
        // An entry adds nothing the second time: skip its sets (pronouns recur in every sentence).
        Span<bool> seen = stackalloc bool[_entries.Count];
        var runs = letterWords.Runs;
        var run = 0;
        while (run < runs.Length)
        {
            var word = JoinedWord.Next(runs, '-', ref run);
            if (word.Length > MaxWordLength) continue;
            if (!_lookup.TryGet(word.Hash, text, word.Start, word.Length, out var index) || seen[index]) continue;
            seen[index] = true;
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
