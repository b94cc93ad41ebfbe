using System.Numerics;

namespace Pipeline.Dedup.Core;

/// <summary>
/// Builds word n-gram hashes one character at a time, so normalisation and shingling share one pass
/// over the text. A word's hash is 64-bit FNV-1a over its UTF-16 code units (cheaper than a hash
/// call per short word); an n-gram's hash mixes its n word hashes in order and ends with Murmur3's
/// finaliser, which spreads FNV's weak low bits over the whole word.
/// </summary>
internal sealed class WordShingles(int size, ulong seed)
{
    private const ulong FnvOffset = 0xCBF29CE484222325, FnvPrime = 0x100000001B3, Golden = 0x9E3779B97F4A7C15;
    private readonly ulong[] _window = new ulong[size];
    private List<ulong> _into = [];
    private ulong _word;
    private bool _inWord;
    private int _words;

    public void Reset(List<ulong> into)
    {
        _into = into;
        _inWord = false;
        _words = 0;
    }

    public void Append(char c)
    {
        if (!_inWord)
        {
            _word = FnvOffset ^ seed;
            _inWord = true;
        }
        _word = (_word ^ c) * FnvPrime;
    }

    public void EndWord()
    {
        if (!_inWord) return;
        _inWord = false;
        _window[_words % size] = _word;
        _words++;
        if (_words >= size) _into.Add(Combine(_words % size, size));
    }

    /// <summary>Ends the text; one shingle of all words when there were fewer than n.</summary>
    public void Finish()
    {
        EndWord();
        if (_words is > 0 && _words < size) _into.Add(Combine(0, _words));
    }

    private ulong Combine(int oldest, int count)
    {
        var h = seed ^ ((ulong)count * Golden);
        for (var k = 0; k < count; k++)
        {
            h = BitOperations.RotateLeft(h, 27) ^ _window[(oldest + k) % _window.Length];
            h *= Golden;
        }
        return Shingler.Mix(h);
    }
}
