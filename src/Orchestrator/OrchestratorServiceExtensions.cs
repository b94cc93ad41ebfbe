using Microsoft.Extensions.Hosting;
using Pipeline.ServiceDefaults.Messaging;

namespace Pipeline.Orchestrator;

public static class OrchestratorServiceExtensions
{
    /// <summary>Registers the orchestrator component: its options, services and consumers.</summary>
    public static IHostApplicationBuilder AddOrchestrator(this IHostApplicationBuilder builder)
    {
        builder.Services.AddPipelineConsumers("orchestrator", bus =>
        {
        });
        return builder;
    }
}
