using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Pipeline.Ingest.Text;

/// <summary>
/// Lower-case lexicon key to a value, probed by <see cref="WordHash"/> and verified character by
/// character against the key, so a match means exactly what an ordinal lookup of the lower-cased
/// word in a Dictionary meant, without lower-casing into a buffer or hashing the word twice.
/// </summary>
/// <remarks>
/// Most probed words are in no list, so a probe should touch little memory: the open-addressing slots
/// hold only 32 bits of the hash and the entry's index (8 bytes; the 4,851 stop words take 128 KB
/// instead of the 768 KB that slots holding the whole entry took), and the entry is read only when
/// those bits match. The entry holds the key's first and last four characters, so an ASCII word of
/// up to eight characters is verified without reading the key string (a third dependent load per hit).
/// Before the slots, a bit per hash value class (16 or more bits per key) answers most misses with one
/// load and a branch that is nearly always not taken: walking the slots to the next empty one is
/// two or three branches that go either way.
/// </remarks>
public sealed class WordTable<T>
{
    private struct Slot
    {
        public uint HashBits;
        /// <summary>Index into the entries plus one; 0 for an empty slot.</summary>
        public int Entry;
    }

    private readonly struct Entry(ulong hash, string key, T value)
    {
        public readonly ulong Hash = hash;
        public readonly ulong Head = AsciiWord.Head(key);
        public readonly ulong Tail = AsciiWord.Tail(key);
        public readonly int Length = key.Length;
        public readonly string Key = key;
        public readonly T Value = value;
    }

    private const ulong Golden = 0x9E3779B97F4A7C15UL;

    private readonly Slot[] _slots;
    private readonly Entry[] _entries;
    private readonly int _mask;
    /// <summary>Bit b set when some key's mixed hash has b in its top bits (see <see cref="FilterBit"/>).</summary>
    private readonly ulong[] _filter;
    private readonly int _filterShift;

    public WordTable(IEnumerable<KeyValuePair<string, T>> entries)
    {
        var list = entries.ToList();
        var capacity = 16;
        // At most a third full: most probes are misses, and a miss walks to the next empty slot.
        while (capacity < list.Count * 3) capacity <<= 1;
        _slots = new Slot[capacity];
        _entries = new Entry[list.Count];
        _mask = capacity - 1;
        var filterBits = 4096;
        while (filterBits < list.Count * 16) filterBits <<= 1;
        _filter = new ulong[filterBits / 64];
        _filterShift = 64 - BitOperations.Log2((uint)filterBits);
        var count = 0;
        foreach (var (key, value) in list)
        {
            var hash = WordHash.Of(key);
            var slot = SlotOf(hash);
            while (_slots[slot].Entry != 0 && _entries[_slots[slot].Entry - 1].Key != key) slot = (slot + 1) & _mask;
            if (_slots[slot].Entry == 0) _slots[slot] = new Slot { HashBits = (uint)hash, Entry = ++count };
            _entries[_slots[slot].Entry - 1] = new Entry(hash, key, value);
            var bit = FilterBit(hash);
            _filter[bit >> 6] |= 1UL << bit;
        }
        MaxKeyLength = list.Count == 0 ? 0 : list.Max(e => e.Key.Length);
    }

    public int MaxKeyLength { get; }

    /// <summary>Looks up <paramref name="word"/> (any case) whose lower-cased hash is <paramref name="hash"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryGet(ulong hash, ReadOnlySpan<char> word, out T value)
    {
        var bit = FilterBit(hash);
        if ((_filter[bit >> 6] & (1UL << bit)) == 0)
        {
            value = default!;
            return false;
        }
        var slot = SlotOf(hash);
        var slots = _slots;
        while (slots[slot].Entry is var index and not 0)
        {
            if (slots[slot].HashBits == (uint)hash)
            {
                ref readonly var entry = ref _entries[index - 1];
                if (entry.Hash == hash && entry.Length == word.Length && EqualsLowerCased(word, in entry))
                {
                    value = entry.Value;
                    return true;
                }
            }
            slot = (slot + 1) & _mask;
        }
        value = default!;
        return false;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Contains(ulong hash, ReadOnlySpan<char> word) => TryGet(hash, word, out _);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int SlotOf(ulong hash) => (int)((hash * Golden) >> 40) & _mask;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int FilterBit(ulong hash) => (int)((hash * Golden) >> _filterShift);

    /// <summary>The word lower-cased equals the key (same length already checked).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool EqualsLowerCased(ReadOnlySpan<char> word, in Entry entry)
    {
        if (word.Length <= 8)
        {
            var head = AsciiWord.Head(word);
            var tail = AsciiWord.Tail(word);
            if (AsciiWord.IsAscii(head | tail)) return AsciiWord.Lower(head) == entry.Head && AsciiWord.Lower(tail) == entry.Tail;
        }
        var key = entry.Key;
        for (var i = 0; i < word.Length; i++)
        {
            if (WordHash.ToLower(word[i]) != key[i]) return false;
        }
        return true;
    }
}
