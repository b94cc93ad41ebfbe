using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Unicode;

namespace Pipeline.Ingest.Reading;

/// <summary>A .txt (or raw mail) file is one document; reading stops at the size limit, so a huge file is quarantined, not loaded.</summary>
internal static class TextDocumentReader
{
    public static async IAsyncEnumerable<ReadItem> ReadAsync(Stream stream, string fileStem, ReaderOptions options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[1 << 16];
        long total = 0;
        string? broken = null;
        try
        {
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
            {
                total += read;
                if (total <= options.MaxDocumentBytes) buffer.Write(chunk, 0, read);
            }
        }
        catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException or IOException or ZstdSharp.ZstdException)
        {
            broken = ex.Message;
        }
        if (broken is not null)
        {
            yield return ReadItem.Quarantine(1, $"stream is corrupt or truncated: {broken}");
            yield break;
        }
        if (total > options.MaxDocumentBytes)
        {
            yield return ReadItem.Quarantine(1, $"document of {total} bytes exceeds the {options.MaxDocumentBytes}-byte limit");
            yield break;
        }
        var bytes = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
        if (bytes.StartsWith(Encoding.UTF8.Preamble)) bytes = bytes[Encoding.UTF8.Preamble.Length..];
        if (!Utf8.IsValid(bytes))
        {
            yield return ReadItem.Quarantine(1, "invalid UTF-8", JsonlDocumentReader.Snippet(bytes));
            yield break;
        }
        var text = Encoding.UTF8.GetString(bytes);
        if (string.IsNullOrWhiteSpace(text)) yield return ReadItem.Quarantine(1, "empty document");
        else yield return ReadItem.Ok(1, new RawDocument(fileStem, text, null, null));
    }
}
