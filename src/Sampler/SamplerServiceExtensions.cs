using Microsoft.Extensions.Hosting;
using Pipeline.ServiceDefaults.Messaging;

namespace Pipeline.Sampler;

public static class SamplerServiceExtensions
{
    /// <summary>Registers the sampler component: its options, services and consumers.</summary>
    public static IHostApplicationBuilder AddSampler(this IHostApplicationBuilder builder)
    {
        builder.Services.AddPipelineConsumers("sampler", bus =>
        {
        });
        return builder;
    }
}
