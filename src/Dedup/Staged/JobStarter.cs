using Microsoft.Extensions.Options;
using Pipeline.BlobStorage;
using Pipeline.Contracts.Messages;
using Pipeline.Dedup.Core;
using Pipeline.ServiceDefaults.Messaging;

namespace Pipeline.Dedup.Staged;

/// <summary>
/// Turns a <c>DeduplicateCorpus</c> command into a job manifest. A redelivered command finds the
/// manifest already written and reuses it, so it never claims a second index segment.
/// </summary>
public sealed class JobStarter(IBlobStore store, IOptions<DedupOptions> options)
{
    public async Task<(string Job, JobManifest Manifest)> StartAsync(DeduplicateCorpus command, CancellationToken cancellationToken)
    {
        Validate(command);
        var o = options.Value;
        var job = DedupLayout.JobPrefix(command.RunId);
        if (await store.GetAsync(o.Container, DedupLayout.Job(job), cancellationToken) is not null)
            return (job, await store.ReadJsonAsync<JobManifest>(o.Container, DedupLayout.Job(job), cancellationToken));

        var normalization = new NormalizationOptions
        {
            Lowercase = o.Lowercase, CollapseWhitespace = o.CollapseWhitespace, StripPunctuation = o.StripPunctuation, UnicodeCompatibilityFold = o.UnicodeCompatibilityFold,
        };
        var lsh = LshParameters.Choose(command.JaccardThreshold, command.Permutations);
        var ranges = Math.Min(o.BandRanges, lsh.Bands);
        // Only runs that hash alike can share buckets, so the index folder is named by every hashing setting.
        var layout = $"{o.ShingleKind.ToString().ToLowerInvariant()}{command.NgramSize}-k{command.Permutations}-b{lsh.Bands}r{lsh.Rows}-x{ranges}-s{o.Seed:x}-n{(o.Lowercase ? 1 : 0)}{(o.CollapseWhitespace ? 1 : 0)}{(o.StripPunctuation ? 1 : 0)}{(o.UnicodeCompatibilityFold ? 1 : 0)}";
        var index = DedupLayout.Index(o.IndexName, layout);
        var manifest = new JobManifest
        {
            RunId = command.RunId,
            Shards = command.Shards,
            Threshold = command.JaccardThreshold,
            NgramSize = command.NgramSize,
            Permutations = command.Permutations,
            Seed = o.Seed,
            ShingleKind = o.ShingleKind,
            Normalization = normalization,
            Bands = lsh.Bands,
            Rows = lsh.Rows,
            BandRanges = ranges,
            IndexPrefix = index,
            Segment = await IndexSegments.ClaimAsync(store, o.Container, index, command.RunId, cancellationToken),
        };
        if (!await StageGate.MarkDoneAsync(store, o.Container, DedupLayout.Job(job), manifest, cancellationToken))
            manifest = await store.ReadJsonAsync<JobManifest>(o.Container, DedupLayout.Job(job), cancellationToken);
        return (job, manifest);
    }

    private static void Validate(DeduplicateCorpus command)
    {
        if (command.Shards.Count is 0 or >= DocKey.MaxShards) throw new UnprocessableMessageException($"A dedup request needs 1 to {DocKey.MaxShards - 1} shards, got {command.Shards.Count}.");
        if (command.JaccardThreshold is <= 0 or >= 1) throw new UnprocessableMessageException($"Jaccard threshold must lie strictly between 0 and 1, got {command.JaccardThreshold}.");
        if (command.NgramSize is < 1 or > 64) throw new UnprocessableMessageException($"N-gram size must be 1 to 64, got {command.NgramSize}.");
        if (command.Permutations is < 1 or > 1024) throw new UnprocessableMessageException($"Permutations must be 1 to 1024, got {command.Permutations}.");
    }
}
