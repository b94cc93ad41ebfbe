using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace Pipeline.Dedup.Core;

/// <summary>
/// 128-bit XxHash3 of the normalised text's UTF-16 code units: stable across processes and machines
/// (unlike string.GetHashCode) and wide enough that an accidental collision in a corpus of billions
/// of documents is not a practical concern.
/// </summary>
public static class ContentHash
{
    public static UInt128 Of(string normalizedText)
        => XxHash128.HashToUInt128(MemoryMarshal.AsBytes(normalizedText.AsSpan()));
}
