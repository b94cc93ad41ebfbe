namespace Pipeline.Dedup.Core;

/// <summary>What dedup needs from one document: its exact-content hash and its MinHash signature.</summary>
public sealed record Fingerprint(UInt128 ContentHash, uint[] Signature, int ShingleCount)
{
    /// <summary>No shingles (empty after normalisation): such documents only take part in exact dedup.</summary>
    public bool IsEmpty => ShingleCount == 0;
}
