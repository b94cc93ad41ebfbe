using System.Runtime.CompilerServices;
using System.Text;
using Parquet;
using Parquet.Schema;

namespace Pipeline.Ingest.Reading;

/// <summary>
/// Reads a text column (and an <c>id</c> column when there is one) row group by row group, so memory
/// is bounded by the largest row group. Parquet needs random access, so a non-seekable blob stream is
/// spooled to a temp file first.
/// </summary>
internal static class ParquetDocumentReader
{
    public static async IAsyncEnumerable<ReadItem> ReadAsync(Stream stream, string fileStem, ReaderOptions options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? spool = null;
        var seekable = stream;
        if (!stream.CanSeek)
        {
            spool = Path.Combine(Path.GetTempPath(), $"pipeline-ingest-{Guid.NewGuid():N}.parquet");
            seekable = new FileStream(spool, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
            await stream.CopyToAsync(seekable, cancellationToken);
            seekable.Position = 0;
        }
        try
        {
            await foreach (var item in ReadSeekableAsync(seekable, fileStem, options, cancellationToken)) yield return item;
        }
        finally
        {
            if (spool is not null) await seekable.DisposeAsync();
        }
    }

    /// <summary>Parquet.Net reports UTF-8 string columns as string or ReadOnlyMemory&lt;char&gt; depending on the writer.</summary>
    private static bool IsText(DataField field) => field.ClrType == typeof(string) || field.ClrType == typeof(ReadOnlyMemory<char>);

    private static async IAsyncEnumerable<ReadItem> ReadSeekableAsync(Stream stream, string fileStem, ReaderOptions options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ParquetReader reader;
        string? openError = null;
        try
        {
            reader = await ParquetReader.CreateAsync(stream, leaveStreamOpen: true, cancellationToken: cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or NotSupportedException or ArgumentException or InvalidOperationException)
        {
            reader = null!;
            openError = ex.Message;
        }
        if (openError is not null)
        {
            yield return ReadItem.Quarantine(1, $"not a readable Parquet file: {openError}");
            yield break;
        }
        await using (reader)
        {
            var columnName = options.ParquetTextColumn ?? options.TextField;
            var fields = reader.Schema.GetDataFields();
            var textField = fields.FirstOrDefault(f => f.Name == columnName);
            var idField = fields.FirstOrDefault(f => f.Name == "id" && IsText(f));
            if (textField is null || !IsText(textField))
            {
                yield return ReadItem.Quarantine(1, textField is null ? $"Parquet file has no column '{columnName}'" : $"Parquet column '{columnName}' is {textField.ClrType.Name}, not a string");
                yield break;
            }
            long row = 0;
            for (var group = 0; group < reader.RowGroupCount; group++)
            {
                using var rowGroup = reader.OpenRowGroupReader(group);
                var count = checked((int)rowGroup.RowCount);
                var texts = new string?[count];
                await rowGroup.ReadAsync(textField, texts.AsMemory(), null, cancellationToken);
                string?[]? ids = null;
                if (idField is not null)
                {
                    ids = new string?[count];
                    await rowGroup.ReadAsync(idField, ids.AsMemory(), null, cancellationToken);
                }
                for (var i = 0; i < count; i++)
                {
                    row++;
                    var text = texts[i];
                    if (text is null) yield return ReadItem.Quarantine(row, $"text column '{columnName}' is null");
                    else if (Encoding.UTF8.GetByteCount(text) > options.MaxDocumentBytes) yield return ReadItem.Quarantine(row, $"text exceeds the {options.MaxDocumentBytes}-byte limit");
                    else yield return ReadItem.Ok(row, new RawDocument(ids?[i] ?? $"{fileStem}:{row}", text, null, null));
                }
            }
        }
    }
}
