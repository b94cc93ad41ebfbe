namespace Pipeline.Ingest.Steps;

/// <summary>
/// Open-addressing table from a 64-bit n-gram hash to (count, first position), reused across n and
/// documents: the repetition rules do nine passes over every word, and the general-purpose
/// Dictionary's per-entry indirection was most of the filter's time.
/// </summary>
internal sealed class NGramTable
{
    private ulong[] _keys = new ulong[1024];
    private int[] _counts = new int[1024];
    private int[] _firsts = new int[1024];
    private int _mask = 1023;

    public void Reset(int expected)
    {
        var capacity = 1024;
        while (capacity < expected * 2) capacity <<= 1;
        if (capacity > _keys.Length)
        {
            _keys = new ulong[capacity];
            _counts = new int[capacity];
            _firsts = new int[capacity];
        }
        else
        {
            Array.Clear(_counts, 0, capacity);
        }
        _mask = capacity - 1;
    }

    /// <summary>Counts one occurrence; returns the new count and the first position seen for this key.</summary>
    public (int Count, int First) Add(ulong key, int position)
    {
        var slot = (int)(key ^ (key >> 29)) & _mask;
        while (true)
        {
            if (_counts[slot] == 0)
            {
                _keys[slot] = key;
                _counts[slot] = 1;
                _firsts[slot] = position;
                return (1, position);
            }
            if (_keys[slot] == key) return (++_counts[slot], _firsts[slot]);
            slot = (slot + 1) & _mask;
        }
    }
}
