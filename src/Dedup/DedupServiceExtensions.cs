using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Pipeline.Dedup.Consumers;
using Pipeline.Dedup.Contamination;
using Pipeline.Dedup.Staged;
using Pipeline.ServiceDefaults.Messaging;
using Pipeline.ServiceDefaults.Options;

namespace Pipeline.Dedup;

public static class DedupServiceExtensions
{
    /// <summary>Registers the dedup component: its options, services and consumers.</summary>
    public static IHostApplicationBuilder AddDedup(this IHostApplicationBuilder builder)
    {
        builder.Services.AddDedupServices();
        builder.Services.AddPipelineConsumers("dedup", bus => bus.AddDedupConsumers());
        return builder;
    }

    /// <summary>Options and stage services, without the bus (tests add the consumers to a test harness).</summary>
    public static IServiceCollection AddDedupServices(this IServiceCollection services)
    {
        services.AddValidatedOptions<DedupOptions>(DedupOptions.Section);
        services.AddSingleton<JobStarter>();
        services.AddSingleton<SignatureStage>();
        services.AddSingleton<CandidateStage>();
        services.AddSingleton<ClusterStage>();
        services.AddSingleton<FilterStage>();
        services.AddSingleton<FinishStage>();
        services.AddSingleton<ContaminationRun>();
        return services;
    }

    public static void AddDedupConsumers(this IRegistrationConfigurator bus)
    {
        bus.AddConsumer<DeduplicateCorpusConsumer>();
        bus.AddConsumer<ComputeDedupSignaturesConsumer, DedupStageDefinition<ComputeDedupSignaturesConsumer>>();
        bus.AddConsumer<FindDedupCandidatesConsumer, DedupStageDefinition<FindDedupCandidatesConsumer>>();
        bus.AddConsumer<ClusterDedupCandidatesConsumer>();
        bus.AddConsumer<FilterDedupShardConsumer, DedupStageDefinition<FilterDedupShardConsumer>>();
        bus.AddConsumer<AnalyseContaminationConsumer>();
    }
}
