using MassTransit;
using Microsoft.Extensions.Hosting;
using Pipeline.Sampler.Generation;
using Pipeline.ServiceDefaults.Messaging;
using Pipeline.ServiceDefaults.Options;

namespace Pipeline.Sampler;

public static class SamplerServiceExtensions
{
    /// <summary>Registers the sampler: batched KV-cache generation of K samples per prompt.</summary>
    public static IHostApplicationBuilder AddSampler(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<SamplerOptions>(SamplerOptions.Section);
        builder.Services.AddPipelineConsumers("sampler", bus =>
        {
            // Generation saturates the cores: one message at a time per instance, scale out with instances.
            bus.AddConsumer<GenerateSamplesConsumer>((_, consumer) => consumer.UseConcurrentMessageLimit(1));
        });
        return builder;
    }
}
