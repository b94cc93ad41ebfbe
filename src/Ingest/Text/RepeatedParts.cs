using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace Pipeline.Ingest.Text;

/// <summary>How many parts (lines or paragraphs) repeat an earlier one, and their characters.</summary>
public readonly record struct RepeatedParts(int Count, double Chars)
{
    [ThreadStatic] private static (ulong Hash, int Part)[]? _table;
    [ThreadStatic] private static (int Length, int Count)[]? _lengths;

    /// <summary>
    /// A part counts from its second occurrence on. Parts are hashed (XxHash3) into a reused
    /// open-addressing table and compared character by character only on equal hashes, instead of
    /// building a string per distinct part for a HashSet. Only parts whose length another part shares
    /// can repeat or be repeated, so the others are not hashed at all: most paragraphs, and many lines.
    /// </summary>
    public static RepeatedParts Of(ReadOnlySpan<char> text, ReadOnlySpan<Range> parts)
    {
        if (parts.Length < 2) return default;
        var capacity = 64;
        while (capacity < parts.Length * 2) capacity <<= 1;
        var mask = capacity - 1;
        var lengths = CountLengths(parts, capacity);
        var table = _table is { } reused && reused.Length >= capacity ? reused : _table = new (ulong, int)[capacity];
        table.AsSpan(0, capacity).Fill((0, -1));
        var count = 0;
        double chars = 0;
        for (var p = 0; p < parts.Length; p++)
        {
            var (start, end) = (parts[p].Start.Value, parts[p].End.Value);
            if (LengthCount(lengths, mask, end - start) < 2) continue;
            var part = text.Slice(start, end - start);
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

    /// <summary>How many parts have each length, in an open-addressing table of <paramref name="capacity"/> slots keyed by length + 1 (0 marks an empty slot).</summary>
    private static (int Length, int Count)[] CountLengths(ReadOnlySpan<Range> parts, int capacity)
    {
        var lengths = _lengths is { } reused && reused.Length >= capacity ? reused : _lengths = new (int, int)[capacity];
        lengths.AsSpan(0, capacity).Clear();
        var mask = capacity - 1;
        foreach (var part in parts)
        {
            var key = part.End.Value - part.Start.Value + 1;
            var slot = SlotOf(key, mask);
            while (lengths[slot].Length != 0 && lengths[slot].Length != key) slot = (slot + 1) & mask;
            lengths[slot] = (key, lengths[slot].Count + 1);
        }
        return lengths;
    }

    private static int LengthCount((int Length, int Count)[] lengths, int mask, int length)
    {
        var slot = SlotOf(length + 1, mask);
        while (lengths[slot].Length != length + 1) slot = (slot + 1) & mask;
        return lengths[slot].Count;
    }

    private static int SlotOf(int key, int mask) => (int)(((uint)key * 0x9E3779B9u) >> 8) & mask;
}
