using System.Text.Json;
using Pipeline.Cli.Commands;

namespace Pipeline.EndToEnd.Tests;

/// <summary>
/// The README's main job, in process and embedded: every stage runs through the in-memory bus and
/// the local blob store on the bundled samples, and leaves its outputs on disk.
/// </summary>
public sealed class DemoEndToEndTests : TempDataDirectory
{
    [Fact]
    public async Task Demo_runs_every_stage_and_leaves_its_outputs_under_the_data_directory()
    {
        var settings = new DemoSettings { PretrainSteps = 30, StageTimeout = TimeSpan.FromMinutes(8) };

        var result = await DemoRun.ExecuteAsync(DataDirectory, settings, progress: null, CancellationToken.None);

        Assert.True(result.Ok, string.Join("; ", result.Stages.Where(s => s.Error is not null).Select(s => $"{s.Name}: {s.Error}")));
        Assert.Equal(7, result.Stages.Count);
        Assert.True(Directory.Exists(Path.Combine(result.BlobRoot, "models")));
        var pretrain = result.Stages.Single(s => s.Name.StartsWith("Pretrain", StringComparison.Ordinal));
        var modelFolder = pretrain.Outputs["model folder"];
        Assert.True(File.Exists(Path.Combine(modelFolder, "config.json")), modelFolder);
        Assert.True(File.Exists(Path.Combine(modelFolder, "model.safetensors")), modelFolder);
        var samples = result.Stages.Single(s => s.Name.StartsWith("Generate", StringComparison.Ordinal)).Outputs["samples"];
        var lines = File.ReadAllLines(samples);
        Assert.Equal(4, lines.Length);
        Assert.All(lines, line => Assert.Equal(2, JsonDocument.Parse(line).RootElement.GetProperty("samples").GetArrayLength()));
        var landing = result.Stages.Single(s => s.Name.StartsWith("Land", StringComparison.Ordinal));
        Assert.StartsWith("V1 from ", landing.Outputs["iteration"]);
        Assert.Equal(8, File.ReadAllLines(landing.Outputs["accepted pairs"]).Length);
        Assert.Equal(2, File.ReadAllLines(landing.Outputs["rejected lines (with problems)"]).Length);
        Assert.NotEmpty(Directory.EnumerateFiles(result.Logs, "*.clef"));

        // Run again in the same folder (what a user who tries it twice does): every stage works again
        // and dedup keeps the same documents (it used to find them all duplicates of the first run's).
        var again = await DemoRun.ExecuteAsync(DataDirectory, settings with { PretrainSteps = 5 }, progress: null, CancellationToken.None);
        Assert.True(again.Ok, string.Join("; ", again.Stages.Where(s => s.Error is not null).Select(s => $"{s.Name}: {s.Error}")));
        var dedup = result.Stages.Single(s => s.Name.StartsWith("Dedup", StringComparison.Ordinal));
        var dedupAgain = again.Stages.Single(s => s.Name.StartsWith("Dedup", StringComparison.Ordinal));
        Assert.Equal(dedup.Outputs["documents in / out"], dedupAgain.Outputs["documents in / out"]);
    }
}
