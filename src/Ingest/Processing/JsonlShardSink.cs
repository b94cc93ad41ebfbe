using System.IO.Compression;
using ZstdSharp;
using System.Text.Encodings.Web;
using System.Text.Json;
using Pipeline.BlobStorage;
using Pipeline.Contracts.Storage;

namespace Pipeline.Ingest.Processing;

/// <summary>
/// Writes JSONL records into a compressed temp file (gzip or zstd; memory stays bounded whatever the
/// shard size), then uploads it in one atomic blob write.
/// </summary>
internal sealed class JsonlShardSink : IAsyncDisposable
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = false };
    private readonly FileStream _file;
    private readonly Stream _compressor;
    private readonly Utf8JsonWriter _writer;

    public JsonlShardSink(ShardCompression compression)
    {
        var path = Path.Combine(Path.GetTempPath(), $"pipeline-ingest-{Guid.NewGuid():N}{RunLayout.Extension(compression)}");
        _file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
        _compressor = compression == ShardCompression.Zstd
            ? new CompressionStream(_file, ZstdLevel, leaveOpen: true)
            : new GZipStream(_file, CompressionLevel.Fastest, leaveOpen: true);
        _writer = new Utf8JsonWriter(_compressor, WriterOptions);
    }

    /// <summary>zstd's default level: faster than gzip's fastest here and smaller.</summary>
    private const int ZstdLevel = 3;

    private bool _closed;

    public long Count { get; private set; }

    /// <summary>Writes one record; the callback writes the object's properties.</summary>
    public void Write(Action<Utf8JsonWriter> record)
    {
        _writer.WriteStartObject();
        record(_writer);
        _writer.WriteEndObject();
        _writer.Flush();
        _compressor.WriteByte((byte)'\n');
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
        await _compressor.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await CloseAsync();
        await _file.DisposeAsync();
    }
}
