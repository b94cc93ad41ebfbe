using System.Net;
using Pipeline.IntegrationTests.Infrastructure;

namespace Pipeline.IntegrationTests.Hosting;

/// <summary>Each service, started as its own process like compose starts it, answers its health endpoints.</summary>
public sealed class HealthEndpointTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData("Ingest")]
    [InlineData("Dedup")]
    [InlineData("Trainers")]
    [InlineData("Sampler")]
    [InlineData("Orchestrator")]
    public async Task Service_process_answers_live_and_ready_with_Healthy(string service)
    {
        using var data = new TempDirectory();
        var port = FreePort.Next();
        using var process = ServiceProcess.Start(service, new Dictionary<string, string>
        {
            ["Service__HttpPort"] = port.ToString(),
            ["Bus__Transport"] = "InMemory",
            ["Blob__Provider"] = "Local",
            ["Blob__LocalRoot"] = Path.Combine(data.Path, "blobs"),
            ["Logging__Pipeline__FilePath"] = "",
        }, data.Path);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };

        var live = await GetWhenUpAsync(http, "/health/live", process);
        Assert.True(live.Status == HttpStatusCode.OK, $"/health/live answered {live.Status} {live.Body}\n{process.Output}");
        Assert.Equal("Healthy", live.Body);

        // Ready waits for the bus to have started, which may take a moment after the port opens.
        var ready = await Eventually.Within(StartTimeout, "/health/ready = 200", async () =>
        {
            var answer = await GetAsync(http, "/health/ready");
            return answer.Status == HttpStatusCode.OK ? answer : null;
        });
        Assert.Equal("Healthy", ready.Body);
    }

    private static async Task<Answer> GetWhenUpAsync(HttpClient http, string path, ServiceProcess service)
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        while (true)
        {
            try
            {
                return await GetAsync(http, path);
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline && !service.HasExited)
            {
                await Task.Delay(250);
            }
            catch (HttpRequestException ex)
            {
                throw new InvalidOperationException($"{path} never answered ({ex.Message}); exited: {service.HasExited}\n{service.Output}", ex);
            }
        }
    }

    private static async Task<Answer> GetAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        return new Answer(response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private sealed record Answer(HttpStatusCode Status, string Body);
}
