using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Pipeline.Orchestrator.Iterations;
using Pipeline.Orchestrator.Landing;
using Pipeline.Orchestrator.Lineage;
using Pipeline.ServiceDefaults.Messaging;
using Pipeline.ServiceDefaults.Options;

namespace Pipeline.Orchestrator;

public static class OrchestratorServiceExtensions
{
    /// <summary>Registers the orchestrator: landing watcher, iteration start, checkpoint lineage.</summary>
    public static IHostApplicationBuilder AddOrchestrator(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<OrchestratorOptions>(OrchestratorOptions.Section);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<PreferenceBatchIntake>();
        builder.Services.AddHostedService<PreferenceLandingWatcher>();
        builder.Services.AddPipelineConsumers("orchestrator", bus =>
        {
            bus.AddConsumer<PreferenceBatchLandedConsumer>();
            bus.AddConsumer<PolicyCheckpointPublishedConsumer>();
        });
        return builder;
    }
}
