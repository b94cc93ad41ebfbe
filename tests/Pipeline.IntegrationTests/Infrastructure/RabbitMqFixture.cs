using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Pipeline.IntegrationTests.Infrastructure;

/// <summary>
/// The real RabbitMQ started by ./test.sh, with a fresh virtual host for this test run (created and
/// given permissions through the management API, deleted at the end) so queues left by earlier
/// runs never interfere.
/// </summary>
public sealed class RabbitMqFixture : IAsyncLifetime
{
    private HttpClient? _management;
    private string _unavailable = $"{TestEnvironment.RabbitMqHost} and {TestEnvironment.RabbitMqManagementUrl} are not set";

    public string Host { get; } = TestEnvironment.Optional(TestEnvironment.RabbitMqHost, "");
    public int Port { get; } = int.Parse(TestEnvironment.Optional(TestEnvironment.RabbitMqPort, "5672"));
    public string Username { get; } = TestEnvironment.Optional(TestEnvironment.RabbitMqUsername, "guest");
    public string Password { get; } = TestEnvironment.Optional(TestEnvironment.RabbitMqPassword, "guest");
    public string VirtualHost { get; } = "pipeline-test-" + Guid.NewGuid().ToString("N")[..12];

    private HttpClient Management => _management
        ?? throw new InvalidOperationException($"RabbitMQ is not available: {_unavailable}. Run ./test.sh, or scripts/test-infra/start-rabbitmq.sh and `. scripts/test-infra/env.sh`.");

    public async Task InitializeAsync()
    {
        // A fixture that throws fails every test of the collection with one cryptic error; keep the
        // reason instead, and let each RabbitMQ test fail with it (the other host tests still run).
        if (string.IsNullOrEmpty(Host) || Environment.GetEnvironmentVariable(TestEnvironment.RabbitMqManagementUrl) is not { Length: > 0 } url) return;

        var client = new HttpClient { BaseAddress = new Uri(url.TrimEnd('/') + "/"), Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Username}:{Password}")));
        try
        {
            (await client.PutAsync($"api/vhosts/{VirtualHost}", null)).EnsureSuccessStatusCode();
            var permissions = JsonContent.Create(new { configure = ".*", write = ".*", read = ".*" });
            (await client.PutAsync($"api/permissions/{VirtualHost}/{Uri.EscapeDataString(Username)}", permissions)).EnsureSuccessStatusCode();
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            client.Dispose();
            _unavailable = $"its management API at {url} failed ({ex.Message})";
            return;
        }
        _management = client;
    }

    public async Task DisposeAsync()
    {
        if (_management is null) return;
        await _management.DeleteAsync($"api/vhosts/{VirtualHost}");
        _management.Dispose();
    }

    /// <summary>Bus settings for a host in this run's vhost; throws with instructions when RabbitMQ is not configured.</summary>
    public IEnumerable<KeyValuePair<string, string?>> BusSettings()
    {
        _ = Management;
        return new Dictionary<string, string?>
        {
            ["Bus:Transport"] = "RabbitMq",
            ["Bus:Host"] = Host,
            ["Bus:Port"] = Port.ToString(),
            ["Bus:VirtualHost"] = VirtualHost,
            ["Bus:Username"] = Username,
            ["Bus:Password"] = Password,
        };
    }

    public async Task<bool> ExchangeExistsAsync(string exchange)
    {
        using var response = await Management.GetAsync($"api/exchanges/{VirtualHost}/{Uri.EscapeDataString(exchange)}");
        return response.StatusCode == HttpStatusCode.OK;
    }

    /// <summary>The queue's message count as the management API reports it (its statistics lag by up to ~5 s); null if the queue does not exist.</summary>
    public async Task<long?> QueueMessageCountAsync(string queue)
    {
        using var response = await Management.GetAsync($"api/queues/{VirtualHost}/{Uri.EscapeDataString(queue)}");
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        response.EnsureSuccessStatusCode();
        var details = await response.Content.ReadFromJsonAsync<JsonElement>();
        return details.TryGetProperty("messages", out var messages) && messages.ValueKind == JsonValueKind.Number ? messages.GetInt64() : 0;
    }

    /// <summary>Peeks at up to <paramref name="count"/> messages of a queue (they are requeued), or an empty list when it has none or does not exist.</summary>
    public async Task<IReadOnlyList<JsonElement>> PeekAsync(string queue, int count = 10)
    {
        var body = JsonContent.Create(new { count, ackmode = "ack_requeue_true", encoding = "auto", truncate = 50000 });
        using var response = await Management.PostAsync($"api/queues/{VirtualHost}/{Uri.EscapeDataString(queue)}/get", body);
        if (response.StatusCode == HttpStatusCode.NotFound) return [];
        response.EnsureSuccessStatusCode();
        var messages = await response.Content.ReadFromJsonAsync<JsonElement>();
        return [.. messages.EnumerateArray()];
    }
}
