using Microsoft.Extensions.Hosting;
using Pipeline.ServiceDefaults.Messaging;

namespace Pipeline.Trainers;

public static class TrainersServiceExtensions
{
    /// <summary>Registers the trainers component: its options, services and consumers.</summary>
    public static IHostApplicationBuilder AddTrainers(this IHostApplicationBuilder builder)
    {
        builder.Services.AddPipelineConsumers("trainers", bus =>
        {
        });
        return builder;
    }
}
