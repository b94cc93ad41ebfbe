using Microsoft.Extensions.Hosting;
using Pipeline.ServiceDefaults.Messaging;
using Pipeline.Trainers.Pretraining;

namespace Pipeline.Trainers;

public static class TrainersServiceExtensions
{
    /// <summary>Registers the trainers component: its options, services and consumers.</summary>
    public static IHostApplicationBuilder AddTrainers(this IHostApplicationBuilder builder)
    {
        builder.Services.AddPretrainingOptions();
        builder.Services.AddPipelineConsumers("trainers", bus =>
        {
            bus.AddPretrainingConsumer();
        });
        return builder;
    }
}
