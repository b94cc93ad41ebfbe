using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Pipeline.ServiceDefaults.Health;
using Pipeline.ServiceDefaults.Logging;
using Pipeline.ServiceDefaults.Options;
using Pipeline.ServiceDefaults.Storage;
using Serilog;

namespace Pipeline.ServiceDefaults;

public static class ServiceDefaultsExtensions
{
    /// <summary>
    /// What every Pipeline process does first: validated options, Serilog, the blob store and health
    /// checks. The bus comes last, from <c>AddPipelineBus()</c>, once every component declared its consumers.
    /// </summary>
    public static IHostApplicationBuilder AddServiceDefaults(this IHostApplicationBuilder builder, string serviceName)
    {
        builder.Configuration.AddInMemoryCollection([new($"{ServiceOptions.Section}:Name", serviceName)]);
        builder.Configuration.AddEnvironmentVariables();
        builder.Services.AddValidatedOptions<ServiceOptions, ServiceOptionsValidator>(ServiceOptions.Section);
        builder.Services.AddValidatedOptions<BusOptions, BusOptionsValidator>(BusOptions.Section);
        builder.Services.AddValidatedOptions<SeqOptions, SeqOptionsValidator>(SeqOptions.Section);
        builder.Services.AddValidatedOptions<PipelineLoggingOptions>(PipelineLoggingOptions.Section);

        builder.Services.AddSerilog((_, logger) => SerilogConfiguration.Apply(logger, builder.Configuration, serviceName));
        builder.AddBlobStore();
        builder.Services.AddHealthChecks().AddCheck<BlobStoreHealthCheck>("blob-store", tags: [HealthEndpoints.ReadyTag]);
        return builder;
    }
}
