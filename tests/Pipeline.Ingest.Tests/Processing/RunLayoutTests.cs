using Pipeline.Ingest.Processing;

namespace Pipeline.Ingest.Tests.Processing;

public sealed class RunLayoutTests
{
    [Theory]
    [InlineData("00000-brown", 0)]
    [InlineData("00063-brown", 0)]
    [InlineData("00064-brown", 1)]
    [InlineData("00129-spam-assassin", 2)]
    [InlineData("100000-file", 1562)]
    public void A_shard_belongs_to_the_group_of_its_index(string shardId, int group)
    {
        Assert.Equal(group, RunLayout.GroupOf(shardId));
        Assert.Equal(RunLayout.GroupOf(shardId), RunLayout.GroupOf(RunLayout.ShardId(int.Parse(shardId[..shardId.IndexOf('-')]), "raw/x.jsonl")));
    }

    [Theory]
    [InlineData("brown")]
    [InlineData("-brown")]
    [InlineData("x0001-brown")]
    public void A_shard_id_without_its_index_is_refused_by_name(string shardId)
    {
        var error = Assert.Throws<FormatException>(() => RunLayout.GroupOf(shardId));
        Assert.Contains(shardId, error.Message);
    }

    [Theory]
    [InlineData(1, 1, new[] { 1 })]
    [InlineData(64, 1, new[] { 64 })]
    [InlineData(65, 2, new[] { 64, 1 })]
    [InlineData(130, 3, new[] { 64, 64, 2 })]
    public void Groups_hold_64_shards_and_the_last_one_the_rest(int shards, int groups, int[] sizes)
    {
        Assert.Equal(groups, RunLayout.GroupCount(shards));
        Assert.Equal(sizes, Enumerable.Range(0, groups).Select(g => RunLayout.GroupSize(shards, g)));
        Assert.Equal(0, RunLayout.GroupSize(shards, groups));
    }

    [Fact]
    public void A_result_lies_in_its_groups_folder_under_the_results_folder()
    {
        var run = Guid.NewGuid();

        Assert.Equal($"runs/{run:N}/results/00001/00070-brown.json", RunLayout.Result(run, "00070-brown"));
        Assert.StartsWith(RunLayout.ResultsPrefix(run), RunLayout.ResultGroupPrefix(run, 1));
        Assert.False(RunLayout.GroupDone(run, 1).StartsWith(RunLayout.ResultsPrefix(run), StringComparison.Ordinal));
    }
}
