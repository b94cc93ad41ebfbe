using Microsoft.Extensions.Hosting;
using Pipeline.IntegrationTests.Infrastructure;
using Pipeline.ServiceDefaults;

namespace Pipeline.IntegrationTests.Hosting;

/// <summary>A wrong setting stops start-up with one line that names the key to fix.</summary>
[Collection(HostsCollection.Name)]
public sealed class StartupErrorTests
{
    [Theory]
    [InlineData("Bus:Transport", "RabbitMq", "Bus:Host", "", "Bus:Host (env Bus__Host) is required")]
    [InlineData("Blob:Provider", "Azure", "Blob:ConnectionString", "", "Blob:ConnectionString (env Blob__ConnectionString) is required")]
    [InlineData("Bus:PrefetchCount", "0", "Bus:RetryLimit", "3", "Bus:PrefetchCount (env Bus__PrefetchCount) must be 1-1000")]
    [InlineData("Seq:ServerUrl", "not a url", "Seq:ApiKey", "", "Seq:ServerUrl (env Seq__ServerUrl)")]
    [InlineData("Blob:Provider", "Cloud", "Bus:Transport", "InMemory", "Blob:Provider")]
    public async Task Wrong_setting_fails_start_with_one_line_naming_the_key(string key, string value, string otherKey, string otherValue, string expected)
    {
        using var data = new TempDirectory();
        var failure = await Record.ExceptionAsync(async () =>
        {
            using var host = TestHosts.Build("ingest", new Dictionary<string, string?>
            {
                ["Blob:LocalRoot"] = data.Path,
                [key] = value,
                [otherKey] = otherValue,
            });
            await host.StartAsync();
            await host.StopAsync();
        });

        Assert.NotNull(failure);
        var line = StartupErrors.Describe(failure);
        Assert.True(line is not null, $"not recognised as a configuration error: {failure}");
        Assert.Contains(expected, line);
        Assert.DoesNotContain('\n', line);
    }

    [Fact]
    public async Task Unknown_transport_names_the_key_when_the_bus_is_configured()
    {
        var failure = Record.Exception(() => TestHosts.Build("ingest", new Dictionary<string, string?> { ["Bus:Transport"] = "Kafka" }));

        Assert.NotNull(failure);
        var line = StartupErrors.Describe(failure);
        Assert.Equal("Bus:Transport (env Bus__Transport): 'Kafka' is not one of InMemory, RabbitMq", line);
    }

    [Theory]
    [InlineData("Ingest", "Bus__Transport", "RabbitMq", "Bus__Host", "", "Bus:Host")]
    [InlineData("Orchestrator", "Bus__Transport", "Kafka", "Blob__Provider", "Local", "Bus:Transport")]
    public async Task Service_process_exits_with_code_2_and_one_stderr_line_naming_the_key(
        string service, string key, string value, string otherKey, string otherValue, string expected)
    {
        using var data = new TempDirectory();
        using var process = ServiceProcess.Start(service, new Dictionary<string, string>
        {
            ["Service__HttpPort"] = FreePort.Next().ToString(),
            ["Blob__LocalRoot"] = Path.Combine(data.Path, "blobs"),
            ["Logging__Pipeline__FilePath"] = "",
            [key] = value,
            [otherKey] = otherValue,
        }, data.Path);

        var exitCode = await process.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.True(exitCode == 2, $"exit code {exitCode?.ToString() ?? "(still running)"}\n{process.Output}");
        var line = Assert.Single(process.StandardError, l => !string.IsNullOrWhiteSpace(l));
        Assert.Contains("configuration error", line);
        Assert.Contains(expected, line);
    }
}
