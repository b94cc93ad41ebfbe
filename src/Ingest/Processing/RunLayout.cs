using Pipeline.BlobStorage;

namespace Pipeline.Ingest.Processing;

/// <summary>Blob names of one ingest run in the output container; all state of a run lives here, not in memory.</summary>
public static class RunLayout
{
    public static string Root(Guid runId) => $"runs/{runId:N}";
    public static string Plan(Guid runId) => $"{Root(runId)}/plan.json";
    public static string ShardsPrefix(Guid runId) => $"{Root(runId)}/shards/";
    public static string ShardFolder(Guid runId, string shardId) => $"{ShardsPrefix(runId)}{shardId}";
    public static string Kept(Guid runId, string shardId, ShardCompression compression) => $"{ShardFolder(runId, shardId)}/kept{Extension(compression)}";
    public static string Rejected(Guid runId, string shardId, ShardCompression compression) => $"{ShardFolder(runId, shardId)}/rejected{Extension(compression)}";
    public static string Quarantine(Guid runId, string shardId, ShardCompression compression) => $"{ShardFolder(runId, shardId)}/quarantine{Extension(compression)}";
    public static string Extension(ShardCompression compression) => compression == ShardCompression.Zstd ? ".jsonl.zst" : ".jsonl.gz";
    /// <summary>
    /// Holds each finished shard's result and nothing else, in one folder per group of
    /// <see cref="FanInLayout.UnitsPerGroup"/> shards (see <see cref="Completion"/>).
    /// </summary>
    public static string ResultsPrefix(Guid runId) => $"{Root(runId)}/results/";
    public static string Result(Guid runId, string shardId) => $"{FanInLayout.UnitFolder(ResultsPrefix(runId), IndexOf(shardId))}{shardId}.json";
    /// <summary>One marker per group whose shards are all done; nothing else lives here.</summary>
    public static string GroupsDonePrefix(Guid runId) => $"{Root(runId)}/groups-done/";

    /// <summary>The run's completion count: shard results per group, then the groups' markers.</summary>
    public static FanInLayout Completion(Guid runId, int shards) => new(ResultsPrefix(runId), GroupsDonePrefix(runId), shards);

    /// <summary>A shard's index: the digits its id starts with (<see cref="ShardId"/>).</summary>
    public static int IndexOf(string shardId)
    {
        var dash = shardId.IndexOf('-');
        if (dash <= 0 || !int.TryParse(shardId.AsSpan(0, dash), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index))
            throw new FormatException($"Shard id '{shardId}' does not start with its index (expected e.g. 00003-brown).");
        return index;
    }
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
