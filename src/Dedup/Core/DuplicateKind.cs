namespace Pipeline.Dedup.Core;

public enum DuplicateKind
{
    /// <summary>Not a duplicate of anything earlier: kept.</summary>
    None,
    /// <summary>Same normalised content as an earlier document.</summary>
    Exact,
    /// <summary>Jaccard similarity at or above the threshold with an earlier document of its cluster.</summary>
    Near,
}
