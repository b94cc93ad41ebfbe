using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Pipeline.BlobStorage;
using Pipeline.Cli.Hosting;
using Pipeline.Cli.Output;
using Pipeline.Contracts.Messages;
using Pipeline.Contracts.Storage;
using Spectre.Console;

namespace Pipeline.Cli.Commands;

/// <summary>
/// The main job, embedded: every stage that exists, fed by the bundled samples, each started by a
/// message and finished by the event its service publishes — the same flow as in distributed mode.
/// </summary>
internal static class DemoRun
{
    public static async Task<int> RunAsync(string dataDirectory, bool json, DemoSettings settings, CancellationToken cancellationToken)
    {
        var result = await ExecuteAsync(dataDirectory, settings, json ? null : new SpectreDemoProgress(), cancellationToken);
        CliOutput.Write(result, json, r =>
        {
            var table = new Table().AddColumns("stage", "status", "seconds");
            foreach (var stage in r.Stages) table.AddRow(Markup.Escape(stage.Name), stage.Status == "ok" ? "[green]ok[/]" : "[red]failed[/]", stage.Seconds.ToString("0.0"));
            AnsiConsole.Write(table);
            Console.WriteLine($"Outputs are under {r.BlobRoot} (one folder per container); logs (CLEF) under {r.Logs}.");
        });
        return result.Ok ? 0 : 1;
    }

    public static async Task<DemoResult> ExecuteAsync(string dataDirectory, DemoSettings settings, IDemoProgress? progress, CancellationToken cancellationToken)
    {
        var samples = SamplesDirectory.Find();
        var runId = NewId.NextGuid();
        var stages = new List<DemoStage>();
        // Dedup keeps a persistent index so later batches are deduplicated against earlier ones. Each
        // demo run is a self-contained showcase of the same bundled corpus, so it gets its own index:
        // against a shared one a second run in the same folder found every document a duplicate.
        using var host = EmbeddedHost.Build(dataDirectory, new Dictionary<string, string?> { ["Dedup:IndexName"] = $"demo-{runId:N}" });
        await host.StartAsync(cancellationToken);
        var store = host.Services.GetRequiredService<IBlobStore>();
        var awaiter = new RunAwaiter(host.Services.GetRequiredService<IBus>());
        var blobRoot = Path.GetFullPath(Path.Combine(dataDirectory, "blobs"));
        string PathOf(string container, string name) => Path.Combine(blobRoot, container, name);

        var steps = new DemoSteps(store, awaiter, runId, samples, settings, PathOf);
        var ok = true;
        foreach (var (name, step) in steps.All())
        {
            var watch = Stopwatch.StartNew();
            progress?.Started(name);
            try
            {
                var outputs = await step(cancellationToken);
                stages.Add(new DemoStage(name, "ok", Math.Round(watch.Elapsed.TotalSeconds, 1), outputs, null));
                progress?.Succeeded(outputs);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                stages.Add(new DemoStage(name, "failed", Math.Round(watch.Elapsed.TotalSeconds, 1), new Dictionary<string, string>(), ex.Message));
                progress?.Failed(ex.Message);
                ok = false;
                break;
            }
        }
        await host.StopAsync(CancellationToken.None);

        return new DemoResult(runId, Path.GetFullPath(dataDirectory), blobRoot, Path.GetFullPath(Path.Combine(dataDirectory, "logs")), ok, stages);
    }

    internal sealed record DemoStage(string Name, string Status, double Seconds, IReadOnlyDictionary<string, string> Outputs, string? Error);

    internal sealed record DemoResult(Guid RunId, string DataDir, string BlobRoot, string Logs, bool Ok, IReadOnlyList<DemoStage> Stages);
}
