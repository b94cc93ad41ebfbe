using Pipeline.BlobStorage;

namespace Pipeline.IntegrationTests.Storage;

/// <summary>The two-level completion count on a real local-folder store: 130 units in groups of 64, 64 and 2.</summary>
public sealed class GroupedFanInTests : IDisposable
{
    private const string Container = "fan-in";
    private readonly string _root = Path.Combine(Path.GetTempPath(), "fan-in-" + Guid.NewGuid().ToString("N"));
    private readonly LocalFolderBlobStore _store;
    private readonly FanInLayout _layout = new("job/done/units/", "job/done/groups/", 130);

    public GroupedFanInTests() => _store = new LocalFolderBlobStore(_root);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private Task MarkAsync(int unit) =>
        _store.WriteTextAsync(Container, $"{_layout.GroupPrefix(FanInLayout.GroupOf(unit))}{unit:D5}.json", "{}", BlobWriteMode.CreateNew);

    [Fact]
    public async Task Only_the_check_after_the_last_unit_finds_everything_done_whatever_the_order()
    {
        var order = Enumerable.Range(0, _layout.Units).OrderBy(_ => Random.Shared.Next()).ToList();
        var allDone = new List<int>();
        foreach (var unit in order)
        {
            await MarkAsync(unit);
            var progress = await GroupedFanIn.CheckAsync(_store, Container, _layout, unit, CancellationToken.None);
            Assert.Equal(FanInLayout.GroupOf(unit), progress.Group);
            Assert.InRange(progress.GroupDone, 1, progress.GroupSize);
            if (progress.AllDone) allDone.Add(unit);
        }

        Assert.Equal([order[^1]], allDone);
        Assert.Equal(3, await _store.ListAsync(Container, _layout.GroupsDonePrefix).CountAsync());
        // A repeated check (a redelivery) finds its group marked and still counts the groups.
        Assert.True((await GroupedFanIn.CheckAsync(_store, Container, _layout, order[0], CancellationToken.None)).AllDone);
    }

    [Fact]
    public async Task Units_finishing_at_once_on_many_threads_leave_at_least_one_check_that_finds_everything_done()
    {
        var done = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, _layout.Units), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (unit, ct) =>
        {
            await MarkAsync(unit);
            if ((await GroupedFanIn.CheckAsync(_store, Container, _layout, unit, ct)).AllDone) Interlocked.Increment(ref done);
        });

        Assert.InRange(done, 1, _layout.Units);
        Assert.Equal(_layout.Groups, await _store.ListAsync(Container, _layout.GroupsDonePrefix).CountAsync());
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(130)]
    public async Task A_unit_outside_the_layout_is_refused(int unit)
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => GroupedFanIn.CheckAsync(_store, Container, _layout, unit, CancellationToken.None));
    }
}
