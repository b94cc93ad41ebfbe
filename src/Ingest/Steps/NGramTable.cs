using System.Runtime.CompilerServices;

namespace Pipeline.Ingest.Steps;

/// <summary>
/// Open-addressing table from a 64-bit n-gram hash to (count, first position), reused across n and
/// documents: the repetition rules count n-grams for every n from 2 to 10, and the general-purpose
/// Dictionary's per-entry indirection was most of the filter's time. One entry is one 16-byte
/// struct, so a probe touches one cache line.
/// </summary>
internal sealed class NGramTable
{
    private struct Entry
    {
        public ulong Key;
        public int Count;
        public int First;
    }

    private Entry[] _entries = new Entry[1024];
    private int _mask = 1023;

    public void Reset(int expected)
    {
        var capacity = 64;
        while (capacity < expected * 2) capacity <<= 1;
        if (capacity > _entries.Length) _entries = new Entry[capacity];
        else Array.Clear(_entries, 0, capacity);
        _mask = capacity - 1;
    }

    /// <summary>Counts one occurrence; returns the new count, the first position seen for this key, and the key's slot.</summary>
    // Inlined: called once per word and n, the call and its returned tuple cost as much as the probe.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public (int Count, int First, int Slot) Add(ulong key, int position)
    {
        var slot = (int)((key * 0x9E3779B97F4A7C15UL) >> 40) & _mask;
        while (true)
        {
            ref var entry = ref _entries[slot];
            if (entry.Count == 0)
            {
                entry.Key = key;
                entry.Count = 1;
                entry.First = position;
                return (1, position, slot);
            }
            if (entry.Key == key) return (++entry.Count, entry.First, slot);
            slot = (slot + 1) & _mask;
        }
    }

    public int CountAt(int slot) => _entries[slot].Count;
}
