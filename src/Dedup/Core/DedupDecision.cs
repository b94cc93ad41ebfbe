namespace Pipeline.Dedup.Core;

/// <summary>
/// The fate of one input document. <see cref="Cluster"/> is the index of the document its cluster
/// keeps (the first seen), so every removed document names the copy that survived.
/// </summary>
public readonly record struct DedupDecision(int Index, bool Kept, int Cluster, DuplicateKind Kind);
