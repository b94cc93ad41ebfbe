using Pipeline.BlobStorage;

namespace Pipeline.IntegrationTests.Storage;

/// <summary>
/// The local store's create-new step on real files, raced without the rest of a write around it, where
/// the window is widest: <see cref="File.Move(string, string, bool)"/> without overwrite let more than
/// one of four such movers win in about one round in six on this file system.
/// </summary>
public sealed class NoReplaceMoveTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "no-replace-" + Guid.NewGuid().ToString("N"));

    public NoReplaceMoveTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Of_movers_racing_to_one_target_exactly_one_wins_and_the_others_keep_their_temp_files(bool byCopy)
    {
        const int rounds = 200, movers = 4;
        for (var round = 0; round < rounds; round++)
        {
            var target = Path.Combine(_folder, $"target-{round}");
            var temps = Enumerable.Range(0, movers).Select(m =>
            {
                var temp = Path.Combine(_folder, $"temp-{round}-{m}");
                File.WriteAllText(temp, $"mover-{m}");
                return temp;
            }).ToList();
            // Threads of their own, released together: pool tasks on two cores mostly ran one after another.
            var won = new bool[movers];
            using var start = new Barrier(movers);
            var threads = Enumerable.Range(0, movers).Select(m => new Thread(() =>
            {
                start.SignalAndWait();
                won[m] = byCopy ? NoReplaceMove.TryCreateByCopy(temps[m], target) : NoReplaceMove.TryMove(temps[m], target);
            })).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());

            var winner = Assert.Single(Enumerable.Range(0, movers), m => won[m]);
            Assert.Equal($"mover-{winner}", File.ReadAllText(target));
            Assert.All(Enumerable.Range(0, movers), m => Assert.Equal(m != winner, File.Exists(temps[m])));
        }
    }

    [Fact]
    public void A_move_to_a_free_name_creates_it_and_removes_the_temp_file()
    {
        var temp = Path.Combine(_folder, "temp");
        File.WriteAllText(temp, "content");

        Assert.True(NoReplaceMove.TryMove(temp, Path.Combine(_folder, "target")));

        Assert.False(File.Exists(temp));
        Assert.Equal("content", File.ReadAllText(Path.Combine(_folder, "target")));
    }
}
