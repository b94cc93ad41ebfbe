using MassTransit;
using Microsoft.Extensions.Options;

namespace Pipeline.Ingest.Consumers;

/// <summary>A shard is CPU-bound: one at a time per core by default (Ingest:ShardConcurrency).</summary>
public sealed class FilterShardConsumerDefinition : ConsumerDefinition<FilterShardConsumer>
{
    public FilterShardConsumerDefinition(IOptions<IngestOptions> options)
    {
        ConcurrentMessageLimit = options.Value.ShardConcurrency;
    }
}
