using System.Runtime.CompilerServices;

namespace Pipeline.Ingest.Text;

/// <summary>
/// Lower-case lexicon key to a value, probed by <see cref="WordHash"/> and verified character by
/// character against the key, so a match means exactly what an ordinal lookup of the lower-cased
/// word in a Dictionary meant, without lower-casing into a buffer or hashing the word twice.
/// </summary>
public sealed class WordTable<T>
{
    private struct Entry
    {
        public ulong Hash;
        public string? Key;
        public T Value;
    }

    private readonly Entry[] _entries;
    private readonly int _mask;

    public WordTable(IEnumerable<KeyValuePair<string, T>> entries)
    {
        var list = entries.ToList();
        var capacity = 16;
        while (capacity < list.Count * 4) capacity <<= 1;
        _entries = new Entry[capacity];
        _mask = capacity - 1;
        foreach (var (key, value) in list)
        {
            var hash = WordHash.Of(key);
            var slot = Slot(hash);
            while (_entries[slot].Key is { } other && other != key) slot = (slot + 1) & _mask;
            _entries[slot] = new Entry { Hash = hash, Key = key, Value = value };
        }
        MaxKeyLength = list.Count == 0 ? 0 : list.Max(e => e.Key.Length);
    }

    public int MaxKeyLength { get; }

    /// <summary>Looks up <paramref name="word"/> (any case) whose lower-cased hash is <paramref name="hash"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryGet(ulong hash, ReadOnlySpan<char> word, out T value)
    {
        var slot = Slot(hash);
        while (_entries[slot].Key is { } key)
        {
            if (_entries[slot].Hash == hash && EqualsLowerCased(word, key))
            {
                value = _entries[slot].Value;
                return true;
            }
            slot = (slot + 1) & _mask;
        }
        value = default!;
        return false;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Contains(ulong hash, ReadOnlySpan<char> word) => TryGet(hash, word, out _);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Slot(ulong hash) => (int)((hash * 0x9E3779B97F4A7C15UL) >> 40) & _mask;

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
