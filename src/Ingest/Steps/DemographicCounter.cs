namespace Pipeline.Ingest.Steps;

/// <summary>
/// Presence per document of each pronoun family and identity term; the report divides by the number
/// of documents, as Table 9 reports document shares, not word counts. English only, as in the paper.
/// </summary>
public sealed class DemographicCounter
{
    private readonly Dictionary<string, (List<string> Families, List<(string Axis, string Term)> Terms)>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public DemographicCounter()
    {
        var index = new Dictionary<string, (List<string> Families, List<(string Axis, string Term)> Terms)>(StringComparer.Ordinal);
        foreach (var (family, words) in DemographicTerms.Pronouns)
        {
            foreach (var word in words) Entry(index, word).Families.Add(family);
        }
        foreach (var (axis, terms) in DemographicTerms.IdentityAxes)
        {
            foreach (var term in terms) Entry(index, term).Terms.Add((axis, term));
        }
        _lookup = index.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    private static (List<string> Families, List<(string Axis, string Term)> Terms) Entry(Dictionary<string, (List<string>, List<(string, string)>)> index, string word)
    {
        if (!index.TryGetValue(word, out var entry)) index[word] = entry = ([], []);
        return entry;
    }

    public DemographicHits Count(string text)
    {
        HashSet<string>? families = null;
        Dictionary<string, SortedSet<string>>? terms = null;
        Span<char> buffer = stackalloc char[32];
        var i = 0;
        while (i < text.Length)
        {
            if (!char.IsLetter(text[i])) { i++; continue; }
            var start = i;
            while (i < text.Length && (char.IsLetter(text[i]) || text[i] == '-' && i + 1 < text.Length && char.IsLetter(text[i + 1]))) i++;
            var word = text.AsSpan(start, i - start);
            if (word.Length > buffer.Length) continue;
            var length = word.ToLowerInvariant(buffer);
            if (!_lookup.TryGetValue(buffer[..length], out var entry)) continue;
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
