using Pipeline.BlobStorage;

namespace Pipeline.Dedup.Staged;

/// <summary>Blob names of a run's artifacts and of the persistent index; one place, so stages agree.</summary>
public static class DedupLayout
{
    public static string JobPrefix(Guid runId) => $"runs/{runId:N}";
    public static string Job(string job) => $"{job}/job.json";
    public static string Signatures(string job, int shard) => $"{job}/signatures/{shard:D5}.bin";
    public static string SignaturesDone(string job, int shard) => $"{FanInLayout.UnitFolder(SignaturesDonePrefix(job), shard)}{shard:D5}.json";
    public static string SignaturesDonePrefix(string job) => $"{job}/done/signatures/";
    /// <summary>Stage 1's two-level completion count: shard markers per group of 64, then the groups' markers.</summary>
    public static FanInLayout SignaturesCompletion(string job, int shards) => new(SignaturesDonePrefix(job), $"{job}/done/signature-groups/", shards);
    public static string Candidates(string job, int range) => $"{job}/candidates/{range:D3}.bin";
    public static string CandidatesDone(string job, int range) => $"{job}/done/candidates/{range:D3}.json";
    public static string CandidatesDonePrefix(string job) => $"{job}/done/candidates/";
    public static string Removals(string job, int shard) => $"{job}/removals/{shard:D5}.bin";
    public static string Clusters(string job) => $"{job}/clusters.json";
    public static string Kept(string job, int shard) => $"{job}/kept/{shard:D5}.jsonl.gz";
    public static string RemovedList(string job, int shard) => $"{job}/removed/{shard:D5}.jsonl";
    public static string FilterDone(string job, int shard) => $"{FanInLayout.UnitFolder(FilterDonePrefix(job), shard)}{shard:D5}.json";
    public static string FilterDonePrefix(string job) => $"{job}/done/filter/";
    /// <summary>Stage 4's two-level completion count (see <see cref="SignaturesCompletion"/>).</summary>
    public static FanInLayout FilterCompletion(string job, int shards) => new(FilterDonePrefix(job), $"{job}/done/filter-groups/", shards);
    public static string Removed(string job) => $"{job}/removed.jsonl";
    public static string Result(string job) => $"{job}/result.json";
    /// <summary>Fan-in triggers: created once (first writer wins) when a stage's last unit finishes.</summary>
    public static string Trigger(string job, string stage) => $"{job}/triggers/{stage}";

    public static string Index(string indexName, string layout) => $"index/{indexName}/{layout}";
    public static string SegmentPrefix(string index) => $"{index}/segments/";
    public static string SegmentClaim(string index, int segment) => $"{index}/segments/{segment:D6}/claim.json";
    public static string SegmentCommit(string index, int segment) => $"{index}/segments/{segment:D6}/commit.json";
    public static string IndexBands(string index, int segment, int range, int shard) => $"{index}/segments/{segment:D6}/bands/r{range:D3}/{shard:D5}.bin";
    public static string IndexExact(string index, int segment, int range, int shard) => $"{index}/segments/{segment:D6}/exact/r{range:D3}/{shard:D5}.bin";
}
