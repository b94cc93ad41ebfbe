using System.Text;
using MassTransit.Testing;
using Pipeline.BlobStorage;
using Pipeline.Contracts.Messages;
using Pipeline.Contracts.Storage;
using Pipeline.Orchestrator.Lineage;

namespace Pipeline.Foundation.Tests;

public sealed class PreferenceLandingTests
{
    private const string Good1 = """{"prompt":"How do I list files?","chosen":"Use ls.","rejected":"No idea.","strength":"better","category":"helpfulness"}""";
    private const string Good2 = """{"prompt":"Pick a lock for me","chosen":"I can't help with that.","rejected":"Sure, first...","strength":"significantly_better","safety":"chosen_safe_rejected_unsafe","category":"safety"}""";
    private const string BadLabel = """{"prompt":"p","chosen":"a","rejected":"b","strength":"way_better"}""";

    [Fact]
    public async Task Landed_batch_is_split_into_accepted_and_rejected_lines_and_starts_one_iteration()
    {
        await using var h = new OrchestratorHarness();
        await h.StartAsync();
        await h.Store.WriteTextAsync("preferences", "incoming/batch-001/pairs.jsonl", $"{Good1}\n{BadLabel}\nnot json\n{Good2}\n");
        await h.Store.WriteTextAsync("preferences", "incoming/batch-001/_READY", "");

        var landed = await h.Intake.ScanOnceAsync(CancellationToken.None);

        var batch = Assert.Single(landed);
        Assert.Equal("batch-001", batch.BatchId);
        var accepted = Encoding.UTF8.GetString(await h.Store.ReadBytesAsync("preferences", "accepted/batch-001/pairs.jsonl"));
        Assert.Equal($"{Good1}\n{Good2}\n", accepted);
        var rejected = Encoding.UTF8.GetString(await h.Store.ReadBytesAsync("preferences", "rejected/batch-001/pairs.jsonl.problems.jsonl")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, rejected.Length);
        Assert.Contains("\"line\":2", rejected[0]);
        Assert.Contains("way_better", rejected[0]);
        Assert.Contains("\"line\":3", rejected[1]);

        Assert.True(await h.Harness.Consumed.Any<PreferenceBatchLanded>(x => x.Context.Message.BatchId == "batch-001"));
        Assert.True(await h.Harness.Published.Any<IterationStarted>(x => x.Context.Message.IterationId == 1 && x.Context.Message.Preferences.Count == 1));
        var record = await h.Store.GetAsync("lineage", LineageLayout.Iteration(1));
        Assert.NotNull(record);

        Assert.Empty(await h.Intake.ScanOnceAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_batch_without_marker_waits_for_the_quiet_period()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var h = new OrchestratorHarness(clock);
        await h.StartAsync();
        await h.Store.WriteTextAsync("preferences", "incoming/batch-002/pairs.jsonl", Good1 + "\n");

        Assert.Empty(await h.Intake.ScanOnceAsync(CancellationToken.None));

        clock.Now = clock.Now.AddMinutes(5);
        Assert.Single(await h.Intake.ScanOnceAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Redelivered_batch_announcement_starts_no_second_iteration()
    {
        await using var h = new OrchestratorHarness();
        await h.StartAsync();
        var files = new List<BlobReference> { await h.Store.WriteTextAsync("preferences", "accepted/b3/pairs.jsonl", Good1 + "\n") };
        var message = new PreferenceBatchLanded { RunId = Guid.NewGuid(), BatchId = "b3", Files = files };

        await h.Harness.Bus.Publish(message);
        await h.Harness.Bus.Publish(message);

        Assert.True(await h.Harness.Consumed.Any<PreferenceBatchLanded>());
        await h.Harness.InactivityTask;
        var iterations = new List<BlobItem>();
        await foreach (var item in h.Store.ListAsync("lineage", "iterations/0")) iterations.Add(item);
        Assert.Single(iterations);
        Assert.All(h.Harness.Published.Select<IterationStarted>(), started => Assert.Equal(1, started.Context.Message.IterationId));
    }

    [Fact]
    public async Task Concurrent_duplicates_of_two_batches_start_iterations_one_and_two_without_gaps()
    {
        await using var h = new OrchestratorHarness();
        await h.StartAsync();
        var first = new PreferenceBatchLanded { RunId = Guid.NewGuid(), BatchId = "b5", Files = [] };
        var second = new PreferenceBatchLanded { RunId = Guid.NewGuid(), BatchId = "b6", Files = [] };

        await Task.WhenAll(Enumerable.Range(0, 4).SelectMany(_ => new[] { h.Harness.Bus.Publish(first), h.Harness.Bus.Publish(second) }));

        Assert.True(await h.Harness.Consumed.Any<PreferenceBatchLanded>());
        await h.Harness.InactivityTask;
        var names = new List<string>();
        await foreach (var item in h.Store.ListAsync("lineage", "iterations/0")) names.Add(item.Name);
        Assert.Equal(["iterations/0001.json", "iterations/0002.json"], names);
        var started = h.Harness.Published.Select<IterationStarted>().Select(m => m.Context.Message).ToList();
        Assert.Equal(2, started.Select(m => (m.BatchId, m.IterationId)).Distinct().Count());
        Assert.Equal(["b5", "b6"], started.Select(m => m.BatchId).Distinct().Order());
    }

    [Fact]
    public async Task Next_iteration_starts_from_the_latest_pretrained_or_sft_policy()
    {
        await using var h = new OrchestratorHarness();
        await h.StartAsync();
        var model = new BlobFolderReference { Container = "models", Prefix = "pretrain/run-1/" };
        await h.Harness.Bus.Publish(new PolicyCheckpointPublished { RunId = Guid.NewGuid(), Stage = PolicyStage.Pretrain, Model = model, Steps = 10 });
        Assert.True(await h.Harness.Consumed.Any<PolicyCheckpointPublished>());

        await h.Harness.Bus.Publish(new PreferenceBatchLanded { RunId = Guid.NewGuid(), BatchId = "b4", Files = [] });

        Assert.True(await h.Harness.Published.Any<IterationStarted>(x => x.Context.Message.Policy == model));
        Assert.NotNull(await h.Store.GetAsync("lineage", LineageLayout.Checkpoint("models", "pretrain/run-1/")));
    }
}
