using System.Numerics;
using System.Runtime.CompilerServices;

namespace Pipeline.Ingest.Text;

/// <summary>
/// Lower-case lexicon key to a value, probed by <see cref="WordHash"/>, so a match means exactly what an
/// ordinal lookup of the lower-cased word in a Dictionary meant, without lower-casing into a buffer
/// or hashing the word twice.
/// </summary>
/// <remarks>
/// Most probed words are in no list, and most words and keys are ASCII and at most eight characters
/// long, so the common cases touch as little memory as possible:
/// - A bit per hash value class (16 or more bits per key) answers most misses with one load and a
///   branch that is nearly always not taken.
/// - A slot holds the value, and for a short ASCII key the key itself, lower-cased and packed into
///   eight bytes with its length: a short ASCII word is verified by one compare in the slot, without
///   loading an entry (a third dependent load, measured at about half of language ID's time).
/// - Other keys are found by their hash and verified character by character against the entry.
/// </remarks>
public sealed class WordTable<T>
{
    private const ulong Golden = 0x9E3779B97F4A7C15UL;
    /// <summary>Set in the slot key of a key that is not short ASCII (its hash), never in a packed key, so the two never compare equal.</summary>
    private const ulong HashedKey = 1UL << 63;

    private struct Slot
    {
        /// <summary>The packed key (short ASCII) or the key's hash with <see cref="HashedKey"/>; 0 in an empty slot.</summary>
        public ulong Key;
        /// <summary>Index into the entries plus one; 0 for an empty slot.</summary>
        public int Entry;
        public T Value;
    }

    private readonly record struct Entry(ulong Hash, string Key);

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
        // At most a third full: a miss that passes the filter walks to the next empty slot.
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
            if (_slots[slot].Entry == 0) _slots[slot].Entry = ++count;
            _slots[slot].Key = PackedKey(key, hash);
            _slots[slot].Value = value;
            _entries[_slots[slot].Entry - 1] = new Entry(hash, key);
            var bit = FilterBit(hash);
            _filter[bit >> 6] |= 1UL << bit;
        }
        MaxKeyLength = list.Count == 0 ? 0 : list.Max(e => e.Key.Length);
    }

    public int MaxKeyLength { get; }

    /// <summary>Looks up <paramref name="word"/> (any case) whose lower-cased hash is <paramref name="hash"/>.</summary>
    public bool TryGet(ulong hash, ReadOnlySpan<char> word, out T value)
    {
        if (MayContain(hash)) return TryGetPassedFilter(hash, word, out value);
        value = default!;
        return false;
    }

    /// <summary>
    /// Looks up the word text[start..start+length) (any case) whose lower-cased hash is <paramref name="hash"/>:
    /// as <see cref="TryGet(ulong, ReadOnlySpan{char}, out T)"/>, reading a short word's characters with two
    /// masked loads when eight characters of text follow its start.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryGet(ulong hash, ReadOnlySpan<char> text, int start, int length, out T value)
    {
        if (!MayContain(hash))
        {
            value = default!;
            return false;
        }
        if (AsciiWord.CanReadMasked(text.Length, start, length))
        {
            var (first, second) = AsciiWord.ReadMasked(text, start, length);
            if (AsciiWord.IsAscii(first | second)) return TryGetPacked(hash, Pack(first, second, length), out value);
        }
        return TryGetPassedFilter(hash, text.Slice(start, length), out value);
    }

    /// <summary>A word whose hash passed the filter: packed compare for short ASCII, else verified per character.</summary>
    private bool TryGetPassedFilter(ulong hash, ReadOnlySpan<char> word, out T value)
    {
        if (word.Length <= 8)
        {
            var (first, second) = AsciiWord.Lanes(word);
            if (AsciiWord.IsAscii(first | second)) return TryGetPacked(hash, Pack(first, second, word.Length), out value);
        }
        return TryGetVerified(hash, word, out value);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Contains(ulong hash, ReadOnlySpan<char> word) => TryGet(hash, word, out _);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Contains(ulong hash, ReadOnlySpan<char> text, int start, int length) => TryGet(hash, text, start, length, out _);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool MayContain(ulong hash)
    {
        var bit = FilterBit(hash);
        return (_filter[bit >> 6] & (1UL << bit)) != 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TryGetPacked(ulong hash, ulong packed, out T value)
    {
        var slots = _slots;
        var slot = SlotOf(hash);
        while (slots[slot].Entry != 0)
        {
            if (slots[slot].Key == packed)
            {
                value = slots[slot].Value;
                return true;
            }
            slot = (slot + 1) & _mask;
        }
        value = default!;
        return false;
    }

    /// <summary>
    /// A word that is not short ASCII: found by hash, verified character by character. Any key may
    /// match, a packed one too: a non-ASCII character can lower-case to an ASCII one (KELVIN SIGN to 'k').
    /// </summary>
    private bool TryGetVerified(ulong hash, ReadOnlySpan<char> word, out T value)
    {
        var slots = _slots;
        var slot = SlotOf(hash);
        while (slots[slot].Entry is var index and not 0)
        {
            ref readonly var entry = ref _entries[index - 1];
            if (entry.Hash == hash && EqualsLowerCased(word, entry.Key))
            {
                value = slots[slot].Value;
                return true;
            }
            slot = (slot + 1) & _mask;
        }
        value = default!;
        return false;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int SlotOf(ulong hash) => (int)((hash * Golden) >> 40) & _mask;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int FilterBit(ulong hash) => (int)((hash * Golden) >> _filterShift);

    /// <summary>The slot key of a lexicon key (stored as given; keys are lower-case).</summary>
    private static ulong PackedKey(string key, ulong hash)
    {
        if (key.Length is > 0 and <= 8)
        {
            var (first, second) = AsciiWord.Lanes(key);
            if (AsciiWord.IsAscii(first | second)) return PackLowerCased(first, second, key.Length);
        }
        return hash | HashedKey;
    }

    /// <summary>A short ASCII word's characters lower-cased, one byte each, with its length in bits 7, 15, 23 and 31.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Pack(ulong first, ulong second, int length) => PackLowerCased(AsciiWord.Lower(first), AsciiWord.Lower(second), length);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong PackLowerCased(ulong first, ulong second, int length)
    {
        var bytes = ToBytes(first) | ToBytes(second) << 32;
        var l = (ulong)length;
        return bytes | (l & 1) << 7 | (l & 2) << 14 | (l & 4) << 21 | (l & 8) << 28;
    }

    /// <summary>Four UTF-16 lanes below 256 to four bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong ToBytes(ulong lanes)
    {
        var pairs = (lanes | lanes >> 8) & 0x0000_FFFF_0000_FFFFUL;
        return (pairs | pairs >> 16) & 0xFFFF_FFFFUL;
    }

    /// <summary>The word lower-cased equals the key.</summary>
    private static bool EqualsLowerCased(ReadOnlySpan<char> word, string key)
    {
        if (word.Length != key.Length) return false;
        for (var i = 0; i < word.Length; i++)
        {
            if (WordHash.ToLower(word[i]) != key[i]) return false;
        }
        return true;
    }
}
