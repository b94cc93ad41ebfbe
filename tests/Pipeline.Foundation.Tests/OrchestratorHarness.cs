using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Pipeline.BlobStorage;
using Pipeline.Orchestrator;
using Pipeline.Orchestrator.Iterations;
using Pipeline.Orchestrator.Landing;
using Pipeline.Orchestrator.Lineage;

namespace Pipeline.Foundation.Tests;

/// <summary>The orchestrator's consumers on MassTransit's in-memory test harness over a real local blob store.</summary>
public sealed class OrchestratorHarness : IAsyncDisposable
{
    private readonly TempDirectory _directory = new();

    public OrchestratorHarness(ManualClock? clock = null)
    {
        Clock = clock ?? new ManualClock(DateTimeOffset.UtcNow);
        Store = new LocalFolderBlobStore(_directory.Path);
        Provider = new ServiceCollection()
            .AddSingleton<IBlobStore>(Store)
            .AddSingleton<TimeProvider>(Clock)
            .AddSingleton(Options.Create(new OrchestratorOptions { LandingQuietSeconds = 60 }))
            .AddSingleton(typeof(Microsoft.Extensions.Logging.ILogger<>), typeof(NullLogger<>))
            .AddSingleton<PreferenceBatchIntake>()
            .AddMassTransitTestHarness(bus =>
            {
                bus.AddConsumer<PreferenceBatchLandedConsumer>();
                bus.AddConsumer<PolicyCheckpointPublishedConsumer>();
            })
            .BuildServiceProvider(true);
        Harness = Provider.GetRequiredService<ITestHarness>();
    }

    public ManualClock Clock { get; }
    public LocalFolderBlobStore Store { get; }
    public ServiceProvider Provider { get; }
    public ITestHarness Harness { get; }
    public PreferenceBatchIntake Intake => Provider.GetRequiredService<PreferenceBatchIntake>();

    public Task StartAsync() => Harness.Start();

    public async ValueTask DisposeAsync()
    {
        await Harness.Stop();
        await Provider.DisposeAsync();
        _directory.Dispose();
    }
}

public sealed class ManualClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;
    public override DateTimeOffset GetUtcNow() => Now;
}
