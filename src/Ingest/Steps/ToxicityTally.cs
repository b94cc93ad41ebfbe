using System.Runtime.CompilerServices;
using Pipeline.Ingest.Text;

namespace Pipeline.Ingest.Steps;

/// <summary>
/// What the toxicity score counts while words go by: words, severity-weighted lexicon hits, and the
/// starts of the last four words (phrases end at a word). Fed by <see cref="ToxicityScorer"/>'s own
/// walk or by the walk shared with demographics (<see cref="WordAnnotator"/>), in the same order.
/// </summary>
internal ref struct ToxicityTally(ToxicityOptions options, ToxicityLexicon.LanguageList list, string text)
{
    private const int MaxWordLength = 48;
    private LastFourStarts _starts;
    private int _count;
    private double _weighted;

    [InlineArray(4)]
    private struct LastFourStarts
    {
        private int _start;
    }

    /// <summary>One word (apostrophe-joined runs).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(JoinedWord word)
    {
        _starts[_count & 3] = word.Start;
        _count++;
        if (word.Length > MaxWordLength) return;
        if (list.Words.TryGet(word.Hash, text, word.Start, word.Length, out var entry)) AddHit(entry, word.Start + word.Length);
    }

    // Not inlined: hits are rare, and the walk inlines Add, whose size decides whether it is inlined at all.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void AddHit(ToxicityLexicon.WordEntry entry, int end)
    {
        var rating = 0;
        // Phrases are rare: only a word that ends some phrase is worth building candidates for.
        if (entry.EndsPhrase) rating = MatchPhrase(end);
        if (rating == 0) rating = entry.Rating;
        if (rating > 0) _weighted += rating >= 2 ? options.StrongWeight : options.MildWeight;
    }

    /// <summary>1 - exp(-d / scale), d being weighted hits per 100 words (at least 20 words counted).</summary>
    public readonly double Score()
    {
        if (_count == 0) return 0;
        var density = _weighted * 100 / Math.Max(_count, 20);
        return 1 - Math.Exp(-density / options.HitsPer100WordsScale);
    }

    private readonly int MatchPhrase(int end)
    {
        var phrases = list.Phrases;
        Span<char> buffer = stackalloc char[128];
        for (var n = Math.Min(Math.Min(phrases.MaxWords, 4), _count); n >= 2; n--)
        {
            var start = _starts[(_count - n) & 3];
            var phrase = text.AsSpan(start, end - start);
            if (phrase.Length > buffer.Length) continue;
            var length = 0;
            var space = false;
            foreach (var c in phrase)
            {
                if (!char.IsLetter(c) && c != '\'' && c != '-') { space = true; continue; }
                if (space && length > 0) buffer[length++] = ' ';
                space = false;
                buffer[length++] = char.ToLowerInvariant(c);
            }
            if (phrases.Ratings.TryGetValue(buffer[..length], out var rating)) return rating;
        }
        return 0;
    }
}
