namespace Pipeline.BlobStorage;

/// <summary>
/// Where a stage's units record that they are done, for a two-level count: unit u's marker lies in
/// the folder of its group (u / <see cref="UnitsPerGroup"/>), and a group whose units are all there
/// gets a marker of its own under <see cref="GroupsDonePrefix"/>. A unit's check then lists at most
/// one group and, when that group is full, the groups' markers: 64 + N/64 blobs instead of all N
/// markers on every unit (N(N+1)/2 per run: 50 million listed blobs for 10,000 units).
/// </summary>
/// <param name="UnitsPrefix">Holds the units' markers, in one folder per group, and nothing else.</param>
/// <param name="GroupsDonePrefix">Holds the groups' markers and nothing else.</param>
/// <param name="Units">How many units the stage has.</param>
public sealed record FanInLayout(string UnitsPrefix, string GroupsDonePrefix, int Units)
{
    public const int UnitsPerGroup = 64;

    public static int GroupOf(int unit) => unit / UnitsPerGroup;

    public int Groups => (Units + UnitsPerGroup - 1) / UnitsPerGroup;

    /// <summary>Units in <paramref name="group"/>: <see cref="UnitsPerGroup"/>, fewer in the last group, 0 past it.</summary>
    public int GroupSize(int group) => Math.Clamp(Units - group * UnitsPerGroup, 0, UnitsPerGroup);

    /// <summary>The folder of a group's unit markers (ends in '/').</summary>
    private static string GroupFolder(string unitsPrefix, int group) => $"{unitsPrefix}{group:D5}/";

    /// <summary>The folder that holds unit <paramref name="unit"/>'s marker under <paramref name="unitsPrefix"/>.</summary>
    public static string UnitFolder(string unitsPrefix, int unit) => GroupFolder(unitsPrefix, GroupOf(unit));

    public string GroupPrefix(int group) => GroupFolder(UnitsPrefix, group);

    public string GroupDone(int group) => $"{GroupsDonePrefix}{group:D5}.json";
}

/// <summary>What a unit's check found: whether every unit is done, and the counts for progress logs.</summary>
public sealed record FanInProgress(bool AllDone, int Group, int GroupDone, int GroupSize, int GroupsDone, int Groups);

/// <summary>The two-level completion check of <see cref="FanInLayout"/>, kept in the blob store so any instance can run it.</summary>
public static class GroupedFanIn
{
    /// <summary>
    /// Counts unit <paramref name="unit"/>'s group; when it is full, marks it (CreateNew: a marker that
    /// exists already, from another unit or an earlier delivery of this one, is fine) and counts the
    /// groups. Every unit's marker must be written before its check runs: then the check of the unit
    /// written last sees its group full, and the group marked last sees every group.
    /// </summary>
    public static async Task<FanInProgress> CheckAsync(IBlobStore store, string container, FanInLayout layout, int unit, CancellationToken cancellationToken)
    {
        if (unit < 0 || unit >= layout.Units) throw new ArgumentOutOfRangeException(nameof(unit), $"unit {unit} is not one of the {layout.Units} units");
        var group = FanInLayout.GroupOf(unit);
        var groupSize = layout.GroupSize(group);
        var groupDone = await store.CountAsync(container, layout.GroupPrefix(group), cancellationToken);
        if (groupDone < groupSize) return new FanInProgress(false, group, groupDone, groupSize, -1, layout.Groups);
        // Created here or by another unit of the group (or an earlier delivery of this one): the groups are counted either way.
        await store.TryCreateJsonAsync(container, layout.GroupDone(group), new { group, units = groupSize }, cancellationToken);
        var groupsDone = await store.CountAsync(container, layout.GroupsDonePrefix, cancellationToken);
        return new FanInProgress(groupsDone >= layout.Groups, group, groupDone, groupSize, groupsDone, layout.Groups);
    }
}
