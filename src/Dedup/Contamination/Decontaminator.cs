namespace Pipeline.Dedup.Contamination;

/// <summary>Document-level decontamination: drop every corpus document that shared a span with a benchmark sample.</summary>
public static class Decontaminator
{
    public static IEnumerable<T> Filter<T>(IEnumerable<T> documents, Func<T, string> id, IEnumerable<string> contaminating)
    {
        var drop = contaminating.ToHashSet(StringComparer.Ordinal);
        return documents.Where(d => !drop.Contains(id(d)));
    }
}
