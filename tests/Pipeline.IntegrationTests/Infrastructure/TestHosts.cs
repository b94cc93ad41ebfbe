using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Pipeline.ServiceDefaults;
using Pipeline.ServiceDefaults.Messaging;

namespace Pipeline.IntegrationTests.Infrastructure;

/// <summary>Builds service hosts the way every Pipeline service starts: AddServiceDefaults, consumers, AddPipelineBus.</summary>
public static class TestHosts
{
    /// <summary>Keeps test output readable and the test folder clean: no console sink, no rolling log file.</summary>
    public static readonly IReadOnlyDictionary<string, string?> Quiet = new Dictionary<string, string?>
    {
        ["Logging:Pipeline:Console"] = "false",
        ["Logging:Pipeline:FilePath"] = "",
    };

    public static IHost Build(
        string serviceName,
        IEnumerable<KeyValuePair<string, string?>> settings,
        Action<IServiceCollection>? configureServices = null,
        bool withBus = true)
    {
        var builder = Host.CreateApplicationBuilder([]);
        builder.AddServiceDefaults(serviceName);
        // Added after AddServiceDefaults (which adds environment variables) so a stray Bus__* in the
        // developer's shell cannot redirect a test.
        builder.Configuration.AddInMemoryCollection(Quiet);
        builder.Configuration.AddInMemoryCollection(settings);
        configureServices?.Invoke(builder.Services);
        if (withBus)
        {
            builder.AddPipelineBus();
            builder.Services.Configure<MassTransitHostOptions>(options =>
            {
                options.WaitUntilStarted = true;
                options.StartTimeout = TimeSpan.FromSeconds(30);
                options.StopTimeout = TimeSpan.FromSeconds(15);
            });
        }
        return builder.Build();
    }
}
