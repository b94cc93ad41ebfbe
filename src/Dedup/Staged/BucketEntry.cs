namespace Pipeline.Dedup.Staged;

/// <summary>A document (key) in an LSH band bucket or an exact-hash bucket (hash); sorts by bucket then key.</summary>
public readonly record struct BucketEntry(ulong Hash, ulong Key) : IComparable<BucketEntry>
{
    public int CompareTo(BucketEntry other) => Hash != other.Hash ? Hash.CompareTo(other.Hash) : Key.CompareTo(other.Key);

    public static void Write(BinaryWriter writer, IReadOnlyCollection<BucketEntry> entries)
    {
        writer.Write(entries.Count);
        foreach (var entry in entries)
        {
            writer.Write(entry.Hash);
            writer.Write(entry.Key);
        }
    }

    public static IEnumerable<BucketEntry> Read(BinaryReader reader)
    {
        var count = reader.ReadInt32();
        for (var i = 0; i < count; i++) yield return new BucketEntry(reader.ReadUInt64(), reader.ReadUInt64());
    }

    /// <summary>
    /// The 64 bits of a content hash that exact buckets use; the range that owns an exact hash is
    /// chosen from the other 64 bits, so within a range these bits alone separate documents.
    /// </summary>
    public static ulong ExactBucket(UInt128 contentHash) => (ulong)contentHash;

    public static int ExactRange(UInt128 contentHash, int ranges) => (int)((ulong)(contentHash >> 64) % (ulong)ranges);
}
