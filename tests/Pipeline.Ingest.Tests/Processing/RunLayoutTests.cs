using Pipeline.BlobStorage;
using Pipeline.Ingest.Processing;

namespace Pipeline.Ingest.Tests.Processing;

public sealed class RunLayoutTests
{
    [Theory]
    [InlineData("00000-brown", 0)]
    [InlineData("00063-brown", 63)]
    [InlineData("00129-spam-assassin", 129)]
    [InlineData("100000-file", 100000)]
    public void A_shard_ids_index_is_the_number_it_starts_with(string shardId, int index)
    {
        Assert.Equal(index, RunLayout.IndexOf(shardId));
        Assert.Equal(index, RunLayout.IndexOf(RunLayout.ShardId(index, "raw/x.jsonl")));
    }

    [Theory]
    [InlineData("brown")]
    [InlineData("-brown")]
    [InlineData("x0001-brown")]
    public void A_shard_id_without_its_index_is_refused_by_name(string shardId)
    {
        var error = Assert.Throws<FormatException>(() => RunLayout.IndexOf(shardId));
        Assert.Contains(shardId, error.Message);
    }

    [Theory]
    [InlineData(1, 1, new[] { 1 })]
    [InlineData(64, 1, new[] { 64 })]
    [InlineData(65, 2, new[] { 64, 1 })]
    [InlineData(130, 3, new[] { 64, 64, 2 })]
    public void Groups_hold_64_shards_and_the_last_one_the_rest(int shards, int groups, int[] sizes)
    {
        var completion = RunLayout.Completion(Guid.NewGuid(), shards);
        Assert.Equal(groups, completion.Groups);
        Assert.Equal(sizes, Enumerable.Range(0, groups).Select(completion.GroupSize));
        Assert.Equal(0, completion.GroupSize(groups));
    }

    [Fact]
    public void A_result_lies_in_its_groups_folder_under_the_results_folder()
    {
        var run = Guid.NewGuid();
        var completion = RunLayout.Completion(run, 130);

        Assert.Equal($"runs/{run:N}/results/00001/00070-brown.json", RunLayout.Result(run, "00070-brown"));
        Assert.StartsWith(completion.GroupPrefix(1), RunLayout.Result(run, "00070-brown"));
        Assert.False(completion.GroupDone(1).StartsWith(RunLayout.ResultsPrefix(run), StringComparison.Ordinal));
        Assert.Equal(1, FanInLayout.GroupOf(RunLayout.IndexOf("00070-brown")));
    }
}
