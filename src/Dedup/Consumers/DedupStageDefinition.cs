using MassTransit;
using Microsoft.Extensions.Options;
using Pipeline.Dedup.Staged;

namespace Pipeline.Dedup.Consumers;

/// <summary>
/// Stages are CPU- and memory-bound: an instance takes at most <c>Dedup:ConcurrentMessages</c> units
/// at once (prefetch matched), and the rest wait in the queue for whichever instance is free.
/// </summary>
public sealed class DedupStageDefinition<TConsumer> : ConsumerDefinition<TConsumer> where TConsumer : class, IConsumer
{
    public DedupStageDefinition(IOptions<DedupOptions> options)
    {
        ConcurrentMessageLimit = options.Value.ConcurrentMessages;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<TConsumer> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.PrefetchCount = ConcurrentMessageLimit ?? 1;
    }
}
