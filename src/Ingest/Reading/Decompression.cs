using System.IO.Compression;
using ZstdSharp;

namespace Pipeline.Ingest.Reading;

internal static class Decompression
{
    public static Stream Wrap(Stream source, SourceCompression compression) => compression switch
    {
        SourceCompression.Gzip => new GZipStream(source, CompressionMode.Decompress, leaveOpen: false),
        SourceCompression.Zstd => new DecompressionStream(source, leaveOpen: false),
        _ => source,
    };
}
