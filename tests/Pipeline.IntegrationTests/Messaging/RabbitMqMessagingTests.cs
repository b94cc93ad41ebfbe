using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Pipeline.Contracts.Messages;
using Pipeline.Contracts.Storage;
using Pipeline.IntegrationTests.Infrastructure;
using Pipeline.ServiceDefaults.Messaging;

namespace Pipeline.IntegrationTests.Messaging;

[Collection(HostsCollection.Name)]
public sealed class RabbitMqMessagingTests(RabbitMqFixture rabbit)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Message_published_by_one_service_host_is_consumed_by_another_over_RabbitMq()
    {
        var received = new Received<CorpusLanded>();
        using var dedup = TestHosts.Build("dedup", rabbit.BusSettings(), services => services
            .AddSingleton(received)
            .AddPipelineConsumers("dedup", bus => bus.AddConsumer<CorpusLandedProbeConsumer>()));
        using var ingest = TestHosts.Build("ingest", rabbit.BusSettings());
        await dedup.StartAsync();
        await ingest.StartAsync();
        try
        {
            var bus = ingest.Services.GetRequiredService<IBus>();
            Assert.Equal("rabbitmq", bus.Address.Scheme);
            Assert.Contains(rabbit.VirtualHost, bus.Address.AbsolutePath);
            var sent = new CorpusLanded
            {
                RunId = Guid.NewGuid(),
                IterationId = 2,
                Container = "landing",
                Prefix = "web/2026-11-28/",
                Files = [new BlobReference { Container = "landing", Name = "web/2026-11-28/part-0001.jsonl", Sha256 = new string('a', 64), Size = 1234 }],
            };

            await bus.Publish(sent);
            var got = await received.FirstAsync(Timeout);

            Assert.Equal(sent.RunId, got.RunId);
            Assert.Equal(2, got.IterationId);
            Assert.Equal(sent.Prefix, got.Prefix);
            Assert.Equal(sent.Files[0], Assert.Single(got.Files));
            // MassTransit's wire identity: the exchange is named after the contract's namespace and type.
            Assert.True(await rabbit.ExchangeExistsAsync("Pipeline.Contracts.Messages:CorpusLanded"));
        }
        finally
        {
            await ingest.StopAsync();
            await dedup.StopAsync();
        }
    }

    [Fact]
    public async Task Message_whose_consumer_always_throws_lands_in_the_error_queue_after_the_retries()
    {
        const int retryLimit = 2;
        var attempts = new Received<ProbeThatAlwaysFails>();
        var settings = rabbit.BusSettings().Concat(new Dictionary<string, string?>
        {
            ["Bus:RetryLimit"] = retryLimit.ToString(),
            ["Bus:RetryIntervalMilliseconds"] = "50",
        });
        using var host = TestHosts.Build("trainers", settings, services => services
            .AddSingleton(attempts)
            .AddPipelineConsumers("trainers", bus => bus.AddConsumer<AlwaysFailingConsumer>()));
        await host.StartAsync();
        try
        {
            var runId = Guid.NewGuid();
            await host.Services.GetRequiredService<IBus>().Publish(new ProbeThatAlwaysFails { RunId = runId });

            var faulted = await Eventually.Within(Timeout, "a message in the always-failing_error queue", async () =>
            {
                var messages = await rabbit.PeekAsync("always-failing_error");
                return messages.Count > 0 ? messages : null;
            });

            var message = Assert.Single(faulted);
            Assert.Contains(runId.ToString(), message.GetProperty("payload").GetString());
            var headers = message.GetProperty("properties").GetProperty("headers");
            Assert.Equal("System.InvalidOperationException", headers.GetProperty("MT-Fault-ExceptionType").GetString());
            Assert.Contains("always fails", headers.GetProperty("MT-Fault-Message").GetString());
            Assert.Equal(1 + retryLimit, attempts.Count);
            Assert.Empty(await rabbit.PeekAsync("always-failing"));
            await Eventually.Within(Timeout, "the management API counting 1 message in always-failing_error", async () =>
                await rabbit.QueueMessageCountAsync("always-failing_error") == 1 ? "counted" : null);
        }
        finally
        {
            await host.StopAsync();
        }
    }
}
