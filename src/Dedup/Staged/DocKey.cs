namespace Pipeline.Dedup.Staged;

/// <summary>
/// A document's global identity as one 64-bit number: index segment (20 bits: which run added it to
/// the index), shard (16 bits) and line position (28 bits). Ordering by key is the keep-first rule:
/// earlier runs, then lower shard index in the request, then earlier line.
/// </summary>
public static class DocKey
{
    public const int MaxSegments = 1 << 20;
    public const int MaxShards = 1 << 16;
    public const int MaxPositions = 1 << 28;

    public static ulong Of(int segment, int shard, int position) => ((ulong)segment << 44) | ((ulong)shard << 28) | (uint)position;

    public static int Segment(ulong key) => (int)(key >> 44);
    public static int Shard(ulong key) => (int)((key >> 28) & 0xFFFF);
    public static int Position(ulong key) => (int)(key & 0x0FFF_FFFF);

    /// <summary>The cluster id printed for users: <c>segment-shard-position</c> of the kept document.</summary>
    public static string Format(ulong key) => $"{Segment(key)}-{Shard(key)}-{Position(key)}";
}
