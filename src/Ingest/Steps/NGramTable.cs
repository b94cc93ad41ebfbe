using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

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
    public (int Count, int First, int Slot) Add(ulong key, int position) =>
        Probe(ref MemoryMarshal.GetArrayDataReference(_entries), _mask, key, position);

    /// <summary>
    /// <see cref="Add"/> over the entries and mask given as locals, so a loop of many adds keeps them
    /// in registers (the mask keeps every slot inside the table, which <see cref="Reset"/> sized).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (int Count, int First, int Slot) Probe(ref Entry entries, int mask, ulong key, int position)
    {
        var slot = (int)((key * 0x9E3779B97F4A7C15UL) >> 40) & mask;
        while (true)
        {
            ref var entry = ref Unsafe.Add(ref entries, slot);
            if (entry.Count == 0)
            {
                entry.Key = key;
                entry.Count = 1;
                entry.First = position;
                return (1, position, slot);
            }
            if (entry.Key == key) return (++entry.Count, entry.First, slot);
            slot = (slot + 1) & mask;
        }
    }

    /// <summary>
    /// Advances the n-gram hash at each of <paramref name="positions"/> (ascending) by the hash of its n-th word
    /// (grams[i] = mix(grams[i], hashes[i + n - 1], n)) and counts it, as <see cref="Add"/> would one
    /// at a time; each position's slot goes to <paramref name="slots"/>. Returns the highest count
    /// reached and the first position of that n-gram (a count below 2: nothing repeats).
    /// </summary>
    /// <remarks>
    /// One tight loop over locals: written as calls to <see cref="Add"/> inside the filter's long
    /// method, the JIT kept the arrays and the table's fields on the stack and re-read them, with a
    /// bounds check each, for every position. Every i + n - 1 is below the words' count (the filter
    /// drops the positions too close to the end first), so the reads are unchecked.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public (int Best, int BestFirst) AddGrams(ReadOnlySpan<int> positions, Span<ulong> grams, ReadOnlySpan<ulong> hashes, int n, Span<int> slots)
    {
        if (slots.Length < positions.Length) throw new ArgumentException("a slot per position is needed", nameof(slots));
        // Positions ascend, so the last one bounds every read below.
        if (positions.Length > 0 && (positions[^1] >= grams.Length || positions[^1] + n - 1 >= hashes.Length))
            throw new ArgumentOutOfRangeException(nameof(positions), "a position's n-gram runs past the words");
        ref var entries = ref MemoryMarshal.GetArrayDataReference(_entries);
        var mask = _mask;
        ref var gram0 = ref MemoryMarshal.GetReference(grams);
        ref readonly var hash0 = ref MemoryMarshal.GetReference(hashes);
        ref var slot0 = ref MemoryMarshal.GetReference(slots);
        int best = 0, bestFirst = 0;
        for (var k = 0; k < positions.Length; k++)
        {
            var i = positions[k];
            ref var gram = ref Unsafe.Add(ref gram0, i);
            var key = (gram ^ Unsafe.Add(ref Unsafe.AsRef(in hash0), i + n - 1)) * 0x9E3779B97F4A7C15UL + (ulong)n;
            gram = key;
            var (count, first, slot) = Probe(ref entries, mask, key, i);
            if (count > best) (best, bestFirst) = (count, first);
            Unsafe.Add(ref slot0, k) = slot;
        }
        return (best, bestFirst);
    }

    /// <summary>
    /// Moves the positions whose slot counted more than one occurrence to the front of
    /// <paramref name="positions"/>, in order; returns how many there are.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int KeepRepeated(Span<int> positions, ReadOnlySpan<int> slots)
    {
        ref var entries = ref MemoryMarshal.GetArrayDataReference(_entries);
        ref var position0 = ref MemoryMarshal.GetReference(positions);
        var repeated = 0;
        for (var k = 0; k < positions.Length; k++)
        {
            // Kept without a branch: whether a position repeats is close to a coin toss, and was mispredicted.
            Unsafe.Add(ref position0, repeated) = Unsafe.Add(ref position0, k);
            repeated += Unsafe.Add(ref entries, slots[k]).Count > 1 ? 1 : 0;
        }
        return repeated;
    }
}
