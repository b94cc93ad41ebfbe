using System.Buffers;

namespace Pipeline.Ingest.Reading;

/// <summary>
/// Splits a byte stream into lines without ever holding more than <c>maxLineBytes</c> of one line:
/// a longer line is skipped to its newline and reported by length only, so one huge line cannot
/// exhaust memory. Works on bytes so invalid UTF-8 can be reported per line instead of being replaced.
/// </summary>
internal sealed class BoundedLineReader(Stream stream, int maxLineBytes) : IDisposable
{
    private const int ChunkSize = 1 << 16;
    private readonly byte[] _chunk = ArrayPool<byte>.Shared.Rent(ChunkSize);
    private byte[] _line = ArrayPool<byte>.Shared.Rent(Math.Min(maxLineBytes, ChunkSize));
    private int _chunkStart;
    private int _chunkEnd;
    private bool _endOfStream;

    public long LineNumber { get; private set; }

    /// <summary>The next line without its terminator; Overflow means it was longer than the limit and Bytes is empty.</summary>
    public async ValueTask<LineRead?> ReadLineAsync(CancellationToken cancellationToken)
    {
        var length = 0;
        long totalLength = 0;
        var overflow = false;
        while (true)
        {
            if (_chunkStart == _chunkEnd)
            {
                if (_endOfStream || !await FillAsync(cancellationToken))
                {
                    if (totalLength == 0 && !overflow) return null;
                    LineNumber++;
                    return new LineRead(LineNumber, overflow ? ReadOnlyMemory<byte>.Empty : _line.AsMemory(0, Trim(length)), overflow, totalLength, MissingNewline: true);
                }
            }
            var span = _chunk.AsSpan(_chunkStart, _chunkEnd - _chunkStart);
            var newline = span.IndexOf((byte)'\n');
            var take = newline < 0 ? span.Length : newline;
            totalLength += take;
            if (!overflow)
            {
                if (length + take > maxLineBytes)
                {
                    overflow = true;
                }
                else
                {
                    EnsureCapacity(length + take);
                    span[..take].CopyTo(_line.AsSpan(length));
                    length += take;
                }
            }
            _chunkStart += newline < 0 ? take : take + 1;
            if (newline >= 0)
            {
                LineNumber++;
                return new LineRead(LineNumber, overflow ? ReadOnlyMemory<byte>.Empty : _line.AsMemory(0, Trim(length)), overflow, totalLength, MissingNewline: false);
            }
        }
    }

    private int Trim(int length) => length > 0 && _line[length - 1] == (byte)'\r' ? length - 1 : length;

    private async ValueTask<bool> FillAsync(CancellationToken cancellationToken)
    {
        var read = await stream.ReadAsync(_chunk.AsMemory(0, ChunkSize), cancellationToken);
        _chunkStart = 0;
        _chunkEnd = read;
        if (read == 0) _endOfStream = true;
        return read > 0;
    }

    private void EnsureCapacity(int needed)
    {
        if (needed <= _line.Length) return;
        var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(Math.Max(needed, _line.Length * 2), Math.Max(maxLineBytes, needed)));
        _line.AsSpan().CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_line);
        _line = bigger;
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_chunk);
        ArrayPool<byte>.Shared.Return(_line);
    }
}

internal readonly record struct LineRead(long Number, ReadOnlyMemory<byte> Bytes, bool Overflow, long Length, bool MissingNewline);
