using Pipeline.Cli.Commands;

namespace Pipeline.EndToEnd.Tests;

/// <summary>`pipeline ingest` in process, embedded, on bundled sample files.</summary>
public sealed class IngestCommandTests : TempDataDirectory
{
    private static string Sample(string name)
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var path = Path.Combine(folder.FullName, "samples", "corpus", name);
            if (File.Exists(path)) return path;
        }
        throw new FileNotFoundException($"samples/corpus/{name} not found above {AppContext.BaseDirectory}");
    }

    [Fact]
    public async Task Ingest_reports_each_shard_as_it_finishes_and_the_totals_at_the_end()
    {
        var progress = new StringWriter();
        var output = Path.Combine(DataDirectory, "out");

        var summary = await IngestCommand.RunAsync(DataDirectory, [Sample("edge-cases.jsonl"), Sample("fortunes-de.jsonl")], output, [], "text", progress, CancellationToken.None);

        Assert.Equal(25 + 160, summary.Documents.Read);
        Assert.Equal(summary.Documents.Read, summary.Documents.Kept + summary.Documents.Rejected + summary.Documents.Quarantined);
        var lines = progress.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Equal(["ingest: shard 1/2 ", "ingest: shard 2/2 "], lines.Select(l => l[..18]));
        // Each line names its shard and its counts, which add up to the totals.
        foreach (var shard in summary.Shards)
            Assert.Single(lines, l => l.Contains($" {shard.ShardId}: {shard.Read} read, {shard.Kept} kept, {shard.Rejected} rejected, {shard.Quarantined} quarantined (", StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(output, "report", "corpus-report.md")));
    }
}
