using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.ServiceDefaults.Options;

namespace Pipeline.Trainers.Pretraining;

public static class PretrainingRegistration
{
    public static IServiceCollection AddPretrainingOptions(this IServiceCollection services)
    {
        services.AddValidatedOptions<PretrainingOptions>(PretrainingOptions.Section);
        return services;
    }

    /// <summary>Training saturates the cores: one message at a time per instance, scale out with instances.</summary>
    public static void AddPretrainingConsumer(this IBusRegistrationConfigurator bus) =>
        bus.AddConsumer<PretrainModelConsumer>((_, consumer) => consumer.UseConcurrentMessageLimit(1));
}
