using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Pipeline.Dedup;
using Pipeline.Ingest;
using Pipeline.Orchestrator;
using Pipeline.Sampler;
using Pipeline.ServiceDefaults;
using Pipeline.ServiceDefaults.Messaging;
using Pipeline.Trainers;

namespace Pipeline.Cli.Hosting;

/// <summary>
/// Every service in one process. Embedded defaults (in-memory bus, local-folder blob store under the
/// data directory, logs to stderr and a CLEF file) unless configuration says otherwise: the same
/// consumers run here as in the separate deployables.
/// </summary>
internal static class EmbeddedHost
{
    public static IHost Build(string dataDirectory, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], DisableDefaults = false });
        var defaults = new Dictionary<string, string?>
        {
            ["Blob:LocalRoot"] = Path.Combine(dataDirectory, "blobs"),
            ["Logging:Pipeline:FilePath"] = Path.Combine(dataDirectory, "logs", "pipeline-.clef"),
            // Scratch space of the trainers and the sampler lives with the data, not in the working directory.
            ["Pretraining:WorkDirectory"] = Path.Combine(dataDirectory, "work", "pretrain"),
            ["Sampler:CacheDirectory"] = Path.Combine(dataDirectory, "cache", "models"),
            ["Logging:Pipeline:ConsoleToStandardError"] = "true",
            ["Logging:Pipeline:MinimumLevel"] = Environment.GetEnvironmentVariable("PIPELINE_LOG_LEVEL") ?? "Warning",
        };
        // Environment variables (Blob__Provider, Bus__Transport, ...) still win over these defaults.
        builder.Configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource { InitialData = defaults });
        if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);

        builder.AddServiceDefaults("pipeline");
        builder.AddIngest();
        builder.AddDedup();
        builder.AddTrainers();
        builder.AddSampler();
        builder.AddOrchestrator();
        builder.AddPipelineBus();
        return builder.Build();
    }
}
