using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Pipeline.ServiceDefaults.Health;
using Pipeline.ServiceDefaults.Logging;
using Pipeline.ServiceDefaults.Options;

namespace Pipeline.ServiceDefaults.Messaging;

public static class PipelineBusExtensions
{
    /// <summary>Declares a component's consumers; they join the bus when <see cref="AddPipelineBus"/> runs.</summary>
    public static IServiceCollection AddPipelineConsumers(this IServiceCollection services, string component, Action<IBusRegistrationConfigurator> register)
    {
        services.AddSingleton(new ConsumerRegistration(component, register));
        return services;
    }

    /// <summary>
    /// Configures MassTransit once from <c>Bus:*</c>: in-memory or RabbitMQ (durable queues, publisher
    /// confirms), kebab-case endpoints, in-process retry (Debian's RabbitMQ has no delayed-exchange
    /// plugin, so no delayed redelivery), then the <c>_error</c> queue.
    /// </summary>
    public static IHostApplicationBuilder AddPipelineBus(this IHostApplicationBuilder builder, Action<IBusRegistrationConfigurator>? configure = null)
    {
        var registrations = builder.Services
            .Where(d => d.ServiceType == typeof(ConsumerRegistration) && d.ImplementationInstance is ConsumerRegistration)
            .Select(d => (ConsumerRegistration)d.ImplementationInstance!)
            .ToList();
        var transport = builder.Configuration.GetSection(BusOptions.Section).GetValue<BusTransport?>(nameof(BusOptions.Transport)) ?? BusTransport.InMemory;

        builder.Services.AddMassTransit(bus =>
        {
            bus.SetKebabCaseEndpointNameFormatter();
            // MassTransit reports usage to its vendor by default; a pipeline must not phone home
            // (and on closed networks the attempt only logs a DNS failure).
            bus.DisableUsageTelemetry();
            bus.ConfigureHealthCheckOptions(health => health.Tags.Add(HealthEndpoints.ReadyTag));
            foreach (var registration in registrations) registration.Register(bus);
            configure?.Invoke(bus);

            if (transport == BusTransport.RabbitMq)
            {
                bus.UsingRabbitMq((context, cfg) =>
                {
                    var options = context.GetRequiredService<IOptions<BusOptions>>().Value;
                    cfg.Host(options.Host, (ushort)options.Port, options.VirtualHost, host =>
                    {
                        host.Username(options.Username);
                        host.Password(options.Password);
                        host.PublisherConfirmation = true;
                    });
                    cfg.Durable = true;
                    ConfigureCommon(cfg, context, options);
                });
            }
            else
            {
                bus.UsingInMemory((context, cfg) =>
                {
                    ConfigureCommon(cfg, context, context.GetRequiredService<IOptions<BusOptions>>().Value);
                });
            }
        });
        return builder;
    }

    private static void ConfigureCommon<TEndpoint>(IBusFactoryConfigurator<TEndpoint> cfg, IBusRegistrationContext context, BusOptions options)
        where TEndpoint : IReceiveEndpointConfigurator
    {
        cfg.PrefetchCount = options.PrefetchCount;
        cfg.UseConsumeFilter(typeof(CorrelationLogContextFilter<>), context);
        cfg.UseMessageRetry(retry =>
        {
            retry.Ignore<UnprocessableMessageException>();
            retry.Ignore<InvalidDataException>();
            retry.Interval(options.RetryLimit, TimeSpan.FromMilliseconds(options.RetryIntervalMilliseconds));
        });
        cfg.ConfigureEndpoints(context);
    }
}
