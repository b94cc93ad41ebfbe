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
    /// Holds each finished shard's result and nothing else, so the completion check lists one blob per
    /// finished shard (under the shards prefix it listed five per shard: kept, rejected, quarantine,
    /// result and announced marker).
    /// </summary>
    public static string ResultsPrefix(Guid runId) => $"{Root(runId)}/results/";
    public static string Result(Guid runId, string shardId) => $"{ResultsPrefix(runId)}{shardId}.json";
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
