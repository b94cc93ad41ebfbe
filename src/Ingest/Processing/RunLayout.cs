namespace Pipeline.Ingest.Processing;

/// <summary>Blob names of one ingest run in the output container; all state of a run lives here, not in memory.</summary>
public static class RunLayout
{
    public static string Root(Guid runId) => $"runs/{runId:N}";
    public static string Plan(Guid runId) => $"{Root(runId)}/plan.json";
    public static string ShardsPrefix(Guid runId) => $"{Root(runId)}/shards/";
    public static string ShardFolder(Guid runId, string shardId) => $"{ShardsPrefix(runId)}{shardId}";
    public static string Kept(Guid runId, string shardId) => $"{ShardFolder(runId, shardId)}/kept.jsonl.gz";
    public static string Rejected(Guid runId, string shardId) => $"{ShardFolder(runId, shardId)}/rejected.jsonl.gz";
    public static string Quarantine(Guid runId, string shardId) => $"{ShardFolder(runId, shardId)}/quarantine.jsonl.gz";
    /// <summary>
    /// Shards per group of the two-level completion count: a shard's event counts the results of its
    /// group (at most this many), and the event that completes a group counts the groups' done markers
    /// (shards / this many). Counting every result on every event was O(shards) per event, O(shards^2)
    /// per run: for 10,000 shards, 50 million listed blobs.
    /// </summary>
    public const int ShardsPerGroup = 64;

    /// <summary>
    /// Holds each finished shard's result and nothing else, in one folder per group of
    /// <see cref="ShardsPerGroup"/> shards, so a group's count lists one blob per finished shard of that group.
    /// </summary>
    public static string ResultsPrefix(Guid runId) => $"{Root(runId)}/results/";
    public static string ResultGroupPrefix(Guid runId, int group) => $"{ResultsPrefix(runId)}{group:D5}/";
    public static string Result(Guid runId, string shardId) => $"{ResultGroupPrefix(runId, GroupOf(shardId))}{shardId}.json";
    /// <summary>One marker per group whose shards are all done; nothing else lives here.</summary>
    public static string GroupsDonePrefix(Guid runId) => $"{Root(runId)}/groups-done/";
    public static string GroupDone(Guid runId, int group) => $"{GroupsDonePrefix(runId)}{group:D5}.json";

    /// <summary>The group of a shard: its index (the digits <see cref="ShardId"/> starts with) over <see cref="ShardsPerGroup"/>.</summary>
    public static int GroupOf(string shardId)
    {
        var dash = shardId.IndexOf('-');
        if (dash <= 0 || !int.TryParse(shardId.AsSpan(0, dash), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index))
            throw new FormatException($"Shard id '{shardId}' does not start with its index (expected e.g. 00003-brown).");
        return index / ShardsPerGroup;
    }

    public static int GroupCount(int shards) => (shards + ShardsPerGroup - 1) / ShardsPerGroup;

    /// <summary>Shards in <paramref name="group"/>: <see cref="ShardsPerGroup"/>, fewer in the last group.</summary>
    public static int GroupSize(int shards, int group) => Math.Clamp(shards - group * ShardsPerGroup, 0, ShardsPerGroup);
    /// <summary>Written after ShardFiltered was published: a result without it was stored by a delivery that stopped before announcing it.</summary>
    public static string ResultAnnounced(Guid runId, string shardId) => $"{ShardFolder(runId, shardId)}/announced.json";
    public static string ReportFolder(Guid runId) => $"{Root(runId)}/report";
    public static string Completed(Guid runId) => $"{Root(runId)}/completed.json";
    /// <summary>Written after CorpusIngested was published (see <see cref="ResultAnnounced"/>).</summary>
    public static string CompletedAnnounced(Guid runId) => $"{Root(runId)}/completed.announced.json";

    /// <summary>"00003-brown" from index 3 and "raw/brown.jsonl.gz": sortable, unique per run, a valid blob segment.</summary>
    public static string ShardId(int index, string sourceName)
    {
        var stem = Reading.DocumentReader.StemOf(sourceName);
        var safe = new string(stem.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? char.ToLowerInvariant(c) : '-').ToArray()).Trim('-');
        if (safe.Length > 60) safe = safe[..60];
        return $"{index:D5}-{(safe.Length == 0 ? "file" : safe)}";
    }
}
