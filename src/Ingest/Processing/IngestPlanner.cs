using System.Runtime.CompilerServices;
using MassTransit;
using Microsoft.Extensions.Options;
using Pipeline.BlobStorage;
using Pipeline.Contracts.Messages;
using Pipeline.Contracts.Storage;
using Pipeline.Ingest.Reading;
using Pipeline.ServiceDefaults.Messaging;

namespace Pipeline.Ingest.Processing;

/// <summary>
/// Turns a run's source files into its plan (one shard per supported file) and publishes a FilterShard
/// per shard. The plan is written with CreateNew before anything is published, so a redelivered request
/// republishes the same plan (shard processing is idempotent) instead of inventing a second one.
/// Shared by the two ways a run starts: an IngestCorpus command and a CorpusLanded event.
/// </summary>
public sealed class IngestPlanner(IBlobStore store, IOptions<IngestOptions> options)
{
    /// <summary>
    /// The run's stored plan when it was planned before, else a new one from <paramref name="listSources"/>
    /// (only supported files, never the run outputs in the output container), stored with CreateNew.
    /// </summary>
    /// <exception cref="UnprocessableMessageException">No supported file among the sources.</exception>
    public async Task<IngestPlan> PlanOnceAsync(Guid runId, IReadOnlyList<string> languages, string sourceDescription,
        Func<CancellationToken, IAsyncEnumerable<BlobReference>> listSources, CancellationToken cancellationToken)
    {
        var container = options.Value.OutputContainer;
        var planName = RunLayout.Plan(runId);
        if (await store.GetAsync(container, planName, cancellationToken) is not null)
            return await store.ReadJsonAsync<IngestPlan>(container, planName, cancellationToken);

        var shards = new List<PlannedShard>();
        await foreach (var source in listSources(cancellationToken))
        {
            if (!DocumentReader.IsSupported(source.Name)) continue;
            // Never re-ingest our own outputs when the source is the output container itself.
            if (source.Container == container && source.Name.StartsWith("runs/", StringComparison.Ordinal)) continue;
            shards.Add(new PlannedShard(RunLayout.ShardId(shards.Count, source.Name), source));
        }
        if (shards.Count == 0)
            throw new UnprocessableMessageException($"No .jsonl, .txt or .parquet files (optionally .gz/.zst) in {sourceDescription}.");
        var plan = new IngestPlan { RunId = runId, Shards = shards, Languages = languages };
        return await store.TryCreateJsonAsync(container, planName, plan, cancellationToken)
            ? plan
            : await store.ReadJsonAsync<IngestPlan>(container, planName, cancellationToken);
    }

    /// <summary>Every blob under a container and prefix, as references.</summary>
    public async IAsyncEnumerable<BlobReference> ListAsync(string sourceContainer, string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var blob in store.ListAsync(sourceContainer, prefix, cancellationToken))
            yield return blob.ToReference();
    }

    /// <summary>One FilterShard per planned shard (again on a redelivery: each shard's processing is idempotent).</summary>
    public static async Task PublishShardsAsync(IPublishEndpoint publisher, IngestPlan plan, int? iterationId, string textField, CancellationToken cancellationToken)
    {
        foreach (var shard in plan.Shards)
        {
            await publisher.Publish(new FilterShard
            {
                RunId = plan.RunId,
                IterationId = iterationId,
                ShardId = shard.ShardId,
                Source = shard.Source,
                Languages = plan.Languages,
                TextField = textField,
            }, cancellationToken);
        }
    }
}
