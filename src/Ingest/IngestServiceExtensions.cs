using Microsoft.Extensions.Hosting;
using Pipeline.ServiceDefaults.Messaging;

namespace Pipeline.Ingest;

public static class IngestServiceExtensions
{
    /// <summary>Registers the ingest component: its options, services and consumers.</summary>
    public static IHostApplicationBuilder AddIngest(this IHostApplicationBuilder builder)
    {
        builder.Services.AddPipelineConsumers("ingest", bus =>
        {
        });
        return builder;
    }
}
