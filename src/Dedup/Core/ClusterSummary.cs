namespace Pipeline.Dedup.Core;

/// <summary>Counts a dedup run reports: what went in and out, and how big the duplicate clusters were.</summary>
public sealed record ClusterSummary
{
    public required long DocumentsIn { get; init; }
    public required long DocumentsOut { get; init; }
    public required long ExactDuplicates { get; init; }
    public required long NearDuplicates { get; init; }
    /// <summary>Clusters with at least two members.</summary>
    public required long Clusters { get; init; }
    /// <summary>Cluster size (members, kept one included) to number of such clusters; size 1 is left out.</summary>
    public required IReadOnlyDictionary<int, long> ClusterSizes { get; init; }

    /// <param name="otherMembers">Cluster ids of members that are not among the decisions (documents of
    /// earlier runs), so a cluster of one old and one new copy counts as size 2.</param>
    public static ClusterSummary From(IReadOnlyList<DedupDecision> decisions, IEnumerable<int>? otherMembers = null)
    {
        var sizes = new Dictionary<int, int>();
        foreach (var cluster in otherMembers ?? []) sizes[cluster] = sizes.GetValueOrDefault(cluster) + 1;
        foreach (var d in decisions) sizes[d.Cluster] = sizes.GetValueOrDefault(d.Cluster) + 1;
        var histogram = new SortedDictionary<int, long>();
        foreach (var size in sizes.Values.Where(s => s > 1)) histogram[size] = histogram.GetValueOrDefault(size) + 1;
        return new ClusterSummary
        {
            DocumentsIn = decisions.Count,
            DocumentsOut = decisions.Count(d => d.Kept),
            ExactDuplicates = decisions.Count(d => d.Kind == DuplicateKind.Exact),
            NearDuplicates = decisions.Count(d => d.Kind == DuplicateKind.Near),
            Clusters = histogram.Values.Sum(),
            ClusterSizes = histogram,
        };
    }
}
