using System.IO.Compression;
using System.Text.Encodings.Web;
using System.Text.Json;
using Pipeline.BlobStorage;
using Pipeline.Contracts.Storage;

namespace Pipeline.Ingest.Processing;

/// <summary>
/// Writes JSONL records into a gzip temp file (memory stays bounded whatever the shard size), then
/// uploads it in one atomic blob write.
/// </summary>
internal sealed class JsonlGzipSink : IAsyncDisposable
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = false };
    private readonly FileStream _file;
    private readonly GZipStream _gzip;
    private readonly Utf8JsonWriter _writer;

    public JsonlGzipSink()
    {
        var path = Path.Combine(Path.GetTempPath(), $"pipeline-ingest-{Guid.NewGuid():N}.jsonl.gz");
        _file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
        _gzip = new GZipStream(_file, CompressionLevel.Fastest, leaveOpen: true);
        _writer = new Utf8JsonWriter(_gzip, WriterOptions);
    }

    private bool _closed;

    public long Count { get; private set; }

    /// <summary>Writes one record; the callback writes the object's properties.</summary>
    public void Write(Action<Utf8JsonWriter> record)
    {
        _writer.WriteStartObject();
        record(_writer);
        _writer.WriteEndObject();
        _writer.Flush();
        _gzip.WriteByte((byte)'\n');
        _writer.Reset();
        Count++;
    }

    public async Task<BlobReference> UploadAsync(IBlobStore store, string container, string name, CancellationToken cancellationToken)
    {
        await CloseAsync();
        _file.Position = 0;
        return await store.WriteAsync(container, name, _file, BlobWriteMode.Overwrite, cancellationToken);
    }

    private async ValueTask CloseAsync()
    {
        if (_closed) return;
        _closed = true;
        await _writer.DisposeAsync();
        await _gzip.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await CloseAsync();
        await _file.DisposeAsync();
    }
}
