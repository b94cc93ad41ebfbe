using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace Pipeline.Ingest.Text;

/// <summary>How many parts (lines or paragraphs) repeat an earlier one, and their characters.</summary>
public readonly record struct RepeatedParts(int Count, double Chars)
{
    [ThreadStatic] private static (ulong Hash, int Part)[]? _table;

    /// <summary>
    /// A part counts from its second occurrence on. Parts are hashed (XxHash3) into a reused
    /// open-addressing table and compared character by character only on equal hashes, instead of
    /// building a string per distinct part for a HashSet.
    /// </summary>
    public static RepeatedParts Of(ReadOnlySpan<char> text, ReadOnlySpan<Range> parts)
    {
        if (parts.Length < 2) return default;
        var capacity = 64;
        while (capacity < parts.Length * 2) capacity <<= 1;
        var table = _table is { } reused && reused.Length >= capacity ? reused : _table = new (ulong, int)[capacity];
        var mask = capacity - 1;
        table.AsSpan(0, capacity).Fill((0, -1));
        var count = 0;
        double chars = 0;
        for (var p = 0; p < parts.Length; p++)
        {
            var part = text[parts[p]];
            var hash = XxHash3.HashToUInt64(MemoryMarshal.AsBytes(part));
            var slot = (int)(hash >> 40) & mask;
            while (true)
            {
                ref var entry = ref table[slot];
                if (entry.Part < 0)
                {
                    entry = (hash, p);
                    break;
                }
                if (entry.Hash == hash && text[parts[entry.Part]].SequenceEqual(part))
                {
                    count++;
                    chars += part.Length;
                    break;
                }
                slot = (slot + 1) & mask;
            }
        }
        return new RepeatedParts(count, chars);
    }
}
