namespace Pipeline.Dedup.Staged;

/// <summary>Two documents that share a bucket; <see cref="Earlier"/> has the smaller key (the one the keep rule favours).</summary>
public readonly record struct CandidatePair(ulong Earlier, ulong Later, bool Exact)
{
    public static void Write(BinaryWriter writer, IReadOnlyCollection<CandidatePair> pairs)
    {
        writer.Write(pairs.Count);
        foreach (var pair in pairs)
        {
            writer.Write(pair.Earlier);
            writer.Write(pair.Later);
            writer.Write(pair.Exact);
        }
    }

    public static IEnumerable<CandidatePair> Read(BinaryReader reader)
    {
        var count = reader.ReadInt32();
        for (var i = 0; i < count; i++) yield return new CandidatePair(reader.ReadUInt64(), reader.ReadUInt64(), reader.ReadBoolean());
    }
}
