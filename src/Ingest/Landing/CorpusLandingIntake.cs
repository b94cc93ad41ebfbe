using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pipeline.BlobStorage;
using Pipeline.Contracts.Messages;
using Pipeline.Contracts.Storage;
using Pipeline.Ingest.Reading;
using Pipeline.ServiceDefaults.Polling;

namespace Pipeline.Ingest.Landing;

/// <summary>
/// One pass over the corpus landing area: every batch folder that is ready (a <c>_READY</c> file, or no
/// file newer than <see cref="IngestOptions.LandingQuietSeconds"/>) and not landed before is announced
/// with <see cref="CorpusLanded"/>, then marked. Its only state is the markers in the blob store; the
/// run of a batch is a function of its name, so announcing a batch twice still ingests it once.
/// </summary>
public sealed class CorpusLandingIntake(IBlobStore store, IBus publisher, IOptions<IngestOptions> options, TimeProvider clock, ILogger<CorpusLandingIntake> logger)
{
    private readonly IngestOptions _options = options.Value;

    /// <summary>The batches announced by this pass.</summary>
    public async Task<IReadOnlyList<CorpusLanded>> ScanOnceAsync(CancellationToken cancellationToken)
    {
        var container = _options.LandingContainer;
        var folder = CorpusLandingLayout.Folder(_options.LandingPrefix);
        var landed = new List<CorpusLanded>();
        await foreach (var (batch, files) in UnlandedBatches.ReadyAsync(store, container, folder, _options.OutputContainer, CorpusLandingLayout.LandedMarkersPrefix(container, folder),
                           TimeSpan.FromSeconds(_options.LandingQuietSeconds), clock, cancellationToken))
        {
            if (await LandAsync(container, $"{folder}{batch}/", files, cancellationToken) is { } message) landed.Add(message);
        }
        return landed;
    }

    /// <summary>Announces and marks the batch; null when it holds no supported file (marked, not announced).</summary>
    private async Task<CorpusLanded?> LandAsync(string container, string batchPrefix, List<BlobItem> files, CancellationToken cancellationToken)
    {
        var supported = files.Where(f => DocumentReader.IsSupported(f.Name)).OrderBy(f => f.Name, StringComparer.Ordinal)
            .Select(f => f.ToReference()).ToList();
        var skipped = files.Count(f => !DocumentReader.IsSupported(f.Name) && !LandingBatch.IsReadyMarker(f.Name));
        var message = new CorpusLanded { RunId = CorpusLandingLayout.RunIdOf(container, batchPrefix), Container = container, Prefix = batchPrefix, Files = supported };
        if (supported.Count == 0)
        {
            // Nothing to ingest: marked, so the batch is not looked at again, and said loudly.
            logger.LogWarning("Landed batch {Container}/{BatchPrefix} has no .jsonl, .txt or .parquet file ({Skipped} other files); not ingested", container, batchPrefix, skipped);
        }
        else
        {
            await publisher.Publish(message, cancellationToken);
            logger.LogInformation("Corpus batch {Container}/{BatchPrefix} landed: {FileCount} files ({Skipped} unsupported skipped), run {RunId}", container, batchPrefix, supported.Count, skipped, message.RunId);
        }
        // False when another watcher landed the same batch at the same time; both named the same run.
        await store.TryCreateJsonAsync(_options.OutputContainer, CorpusLandingLayout.LandedMarker(container, batchPrefix),
            new { container, prefix = batchPrefix, runId = message.RunId, files = supported, skipped, landedAt = clock.GetUtcNow() }, cancellationToken);
        return supported.Count == 0 ? null : message;
    }
}
