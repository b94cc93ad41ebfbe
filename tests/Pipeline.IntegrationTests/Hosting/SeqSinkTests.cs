using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pipeline.IntegrationTests.Infrastructure;

namespace Pipeline.IntegrationTests.Hosting;

[Collection(HostsCollection.Name)]
public sealed class SeqSinkTests
{
    private const string Template = "Shard {ShardId} kept {Kept}/{Total}";

    [Fact]
    public async Task Events_reach_Seq_as_CLEF_with_template_service_name_and_api_key()
    {
        using var seq = new FakeSeqServer();
        using (var host = TestHosts.Build("ingest", new Dictionary<string, string?>
        {
            ["Seq:ServerUrl"] = seq.Url,
            ["Seq:ApiKey"] = "integration-test-key",
        }, withBus: false))
        {
            await host.StartAsync();
            host.Services.GetRequiredService<ILogger<SeqSinkTests>>().LogInformation(Template, "shard-0007", 41, 50);
            await host.StopAsync();
        }   // disposing the host disposes the Serilog logger, which flushes the Seq sink's batch

        var (request, line) = await Eventually.Within(TimeSpan.FromSeconds(15), "the CLEF event at the fake Seq", () =>
        {
            var hit = seq.Requests
                .SelectMany(r => r.Body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => (Request: r, Line: l)))
                .FirstOrDefault(x => x.Line.Contains("shard-0007", StringComparison.Ordinal));
            return Task.FromResult<Tuple<SeqRequest, string>?>(hit.Request is null ? null : Tuple.Create(hit.Request, hit.Line));
        });

        Assert.Equal("POST", request.Method);
        Assert.Equal("/api/events/raw", request.Path);
        Assert.StartsWith("application/vnd.serilog.clef", request.ContentType);
        Assert.Equal("integration-test-key", request.ApiKey);
        using var clef = JsonDocument.Parse(line);
        var evt = clef.RootElement;
        Assert.Equal(Template, evt.GetProperty("@mt").GetString());
        Assert.True(evt.TryGetProperty("@t", out _));
        Assert.Equal("ingest", evt.GetProperty("Service").GetString());
        Assert.Equal("shard-0007", evt.GetProperty("ShardId").GetString());
        Assert.Equal(41, evt.GetProperty("Kept").GetInt32());
        Assert.Equal(50, evt.GetProperty("Total").GetInt32());
    }
}
