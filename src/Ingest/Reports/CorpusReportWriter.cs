using System.Text.Json;
using System.Text.Json.Serialization;
using Pipeline.BlobStorage;
using Pipeline.Contracts.Storage;
using Pipeline.Ingest.Processing;

namespace Pipeline.Ingest.Reports;

/// <summary>Writes <c>corpus-report.json</c>, <c>corpus-report.md</c> and the PNG charts under the run's report folder.</summary>
public sealed class CorpusReportWriter(IBlobStore store)
{
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static Task<CorpusReport> ReadAsync(IBlobStore store, string container, string name, CancellationToken cancellationToken = default)
        => ReadAsync(store, new BlobReference { Container = container, Name = name, Sha256 = "", Size = 0 }, cancellationToken);

    public static async Task<CorpusReport> ReadAsync(IBlobStore store, BlobReference blob, CancellationToken cancellationToken = default)
    {
        await using var stream = await store.OpenReadAsync(blob.Container, blob.Name, cancellationToken);
        return await JsonSerializer.DeserializeAsync<CorpusReport>(stream, Json, cancellationToken)
            ?? throw new InvalidDataException($"Corpus report {blob} holds JSON null.");
    }

    public async Task<BlobReference> WriteAsync(string container, CorpusReport report, CancellationToken cancellationToken)
    {
        var folder = RunLayout.ReportFolder(report.RunId);
        foreach (var (name, png) in CorpusReportCharts.Render(report))
            await store.WriteBytesAsync(container, $"{folder}/{name}", png, BlobWriteMode.Overwrite, cancellationToken);
        await store.WriteTextAsync(container, $"{folder}/corpus-report.md", CorpusReportMarkdown.Render(report), BlobWriteMode.Overwrite, cancellationToken);
        return await store.WriteBytesAsync(container, $"{folder}/corpus-report.json", JsonSerializer.SerializeToUtf8Bytes(report, Json), BlobWriteMode.Overwrite, cancellationToken);
    }
}
