using Microsoft.Extensions.Hosting;
using Pipeline.ServiceDefaults.Messaging;

namespace Pipeline.Dedup;

public static class DedupServiceExtensions
{
    /// <summary>Registers the dedup component: its options, services and consumers.</summary>
    public static IHostApplicationBuilder AddDedup(this IHostApplicationBuilder builder)
    {
        builder.Services.AddPipelineConsumers("dedup", bus =>
        {
        });
        return builder;
    }
}
