using System.Diagnostics;
using Pipeline.Contracts.Messages;

namespace Pipeline.Cli.Commands;

/// <summary>
/// A line per finished shard while `pipeline ingest` runs: a large corpus takes hours, and the table at
/// the end was the first sign of life. Shards finish on several threads; each line is one write.
/// </summary>
internal sealed class IngestProgress(TextWriter output, int shards, Stopwatch clock)
{
    private int _done;

    public void ShardDone(ShardFiltered shard)
    {
        var done = Interlocked.Increment(ref _done);
        output.WriteLine($"ingest: shard {done}/{shards} {shard.ShardId}: {shard.DocumentsRead} read, {shard.DocumentsKept} kept, "
            + $"{shard.DocumentsRejected} rejected, {shard.DocumentsQuarantined} quarantined ({clock.Elapsed.TotalSeconds:F1} s)");
    }
}
