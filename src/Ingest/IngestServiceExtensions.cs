using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Pipeline.Ingest.Consumers;
using Pipeline.Ingest.Landing;
using Pipeline.Ingest.Processing;
using Pipeline.Ingest.Reports;
using Pipeline.Ingest.Sft;
using Pipeline.ServiceDefaults.Messaging;
using Pipeline.ServiceDefaults.Options;

namespace Pipeline.Ingest;

public static class IngestServiceExtensions
{
    /// <summary>Registers the ingest component: its options, services and consumers.</summary>
    public static IHostApplicationBuilder AddIngest(this IHostApplicationBuilder builder)
    {
        builder.Services.AddIngestServices();
        builder.Services.AddHostedService<CorpusLandingWatcher>();
        builder.Services.AddPipelineConsumers("ingest", AddIngestConsumers);
        return builder;
    }

    /// <summary>Options and services without the bus, for hosts and tests that configure MassTransit themselves.</summary>
    public static IServiceCollection AddIngestServices(this IServiceCollection services)
    {
        services.AddValidatedOptions<IngestOptions>(IngestOptions.Section);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IngestPlanner>();
        services.AddSingleton<CorpusLandingIntake>();
        services.AddSingleton<ShardProcessor>();
        services.AddSingleton<CorpusReportWriter>();
        services.AddSingleton<SftCurator>();
        return services;
    }

    public static void AddIngestConsumers(IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<IngestCorpusConsumer>();
        bus.AddConsumer<CorpusLandedConsumer>();
        bus.AddConsumer<FilterShardConsumer, FilterShardConsumerDefinition>();
        bus.AddConsumer<ShardFilteredConsumer>();
        bus.AddConsumer<CurateSftConsumer>();
    }
}
