using System.Text;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pipeline.BlobStorage;
using Pipeline.Contracts.Messages;
using Pipeline.Contracts.Schemas;
using Pipeline.Contracts.Schemas.Validation;
using Pipeline.Contracts.Storage;
using Pipeline.ServiceDefaults.Polling;

namespace Pipeline.Orchestrator.Landing;

/// <summary>
/// One pass over the landing area: every ready batch is validated line by line, split into accepted
/// and rejected files, announced with <see cref="PreferenceBatchLanded"/>, then marked as landed.
/// Each step is idempotent (outputs are a pure function of the inputs, the consumer ignores a batch
/// it has seen), so a crash anywhere means the next pass simply does the batch again.
/// </summary>
public sealed class PreferenceBatchIntake(IBlobStore store, IBus publisher, IOptions<OrchestratorOptions> options, TimeProvider clock, ILogger<PreferenceBatchIntake> logger)
{
    private readonly OrchestratorOptions _options = options.Value;

    public async Task<IReadOnlyList<PreferenceBatchLanded>> ScanOnceAsync(CancellationToken cancellationToken)
    {
        var landed = new List<PreferenceBatchLanded>();
        await foreach (var (batch, files) in UnlandedBatches.ReadyAsync(store, _options.PreferencesContainer, PreferenceBatchLayout.Incoming,
                           _options.LineageContainer, PreferenceBatchLayout.LandedMarkersPrefix, TimeSpan.FromSeconds(_options.LandingQuietSeconds), clock, cancellationToken))
        {
            landed.Add(await LandAsync(batch, files, cancellationToken));
        }
        return landed;
    }

    private async Task<PreferenceBatchLanded> LandAsync(string batch, List<BlobItem> files, CancellationToken cancellationToken)
    {
        var accepted = new List<BlobReference>();
        long acceptedLines = 0, rejectedLines = 0;
        foreach (var file in files.Where(f => f.Name.EndsWith(".jsonl", StringComparison.Ordinal)))
        {
            var (good, bad) = await SplitAsync(batch, file, cancellationToken);
            if (good.Reference is not null) accepted.Add(good.Reference);
            acceptedLines += good.Lines;
            rejectedLines += bad;
        }
        var message = new PreferenceBatchLanded { RunId = NewId.NextGuid(), BatchId = batch, Files = accepted };
        await publisher.Publish(message, cancellationToken);
        // False when another watcher landed the same batch at the same time; the consumer keeps one iteration.
        await store.TryCreateJsonAsync(_options.LineageContainer, PreferenceBatchLayout.LandedMarker(batch),
            new { batch, runId = message.RunId, files = accepted, acceptedLines, rejectedLines, landedAt = clock.GetUtcNow() }, cancellationToken);
        logger.LogInformation("Preference batch {BatchId} landed: {AcceptedLines} pairs accepted, {RejectedLines} rejected", batch, acceptedLines, rejectedLines);
        return message;
    }

    private async Task<((BlobReference? Reference, long Lines) Good, long Bad)> SplitAsync(string batch, BlobItem file, CancellationToken cancellationToken)
    {
        var schema = new PreferencePairSchema();
        // Temp files, not memory: a batch file can be large and only its line count is bounded.
        await using var good = TempFile();
        await using var bad = TempFile();
        long goodLines = 0, badLines = 0, line = 0;
        await using (var input = await store.OpenReadAsync(file.Container, file.Name, cancellationToken))
        using (var reader = new StreamReader(input, new UTF8Encoding(false, throwOnInvalidBytes: false)))
        {
            while (await reader.ReadLineAsync(cancellationToken) is { } text)
            {
                line++;
                if (string.IsNullOrWhiteSpace(text)) continue;
                var problems = new List<SchemaProblem>();
                JsonlValidator.ValidateLine(text, line, schema, _options.MaxLineBytes, problems);
                if (problems.Count == 0)
                {
                    good.Write(Encoding.UTF8.GetBytes(text + "\n"));
                    goodLines++;
                }
                else
                {
                    var record = new { file = file.Name, line, problems = problems.Select(p => p.ToString()) };
                    bad.Write(Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(record) + "\n"));
                    badLines++;
                    logger.LogWarning("Preference file {File} line {Line} rejected: {Problems}", file.Name, line, string.Join("; ", problems));
                }
            }
        }
        var fileName = PreferenceBatchLayout.FileNameOf(file.Name);
        BlobReference? accepted = null;
        if (goodLines > 0)
        {
            good.Position = 0;
            accepted = await store.WriteAsync(_options.PreferencesContainer, PreferenceBatchLayout.Accepted(batch, fileName), good, cancellationToken: cancellationToken);
        }
        if (badLines > 0)
        {
            bad.Position = 0;
            await store.WriteAsync(_options.PreferencesContainer, PreferenceBatchLayout.Rejected(batch, fileName), bad, cancellationToken: cancellationToken);
        }
        return ((accepted, goodLines), badLines);
    }

    private static FileStream TempFile() => new(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
}
