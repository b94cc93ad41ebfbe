using System.Runtime.CompilerServices;
using Pipeline.Ingest.Text;

namespace Pipeline.Ingest.Steps;

/// <summary>
/// Which demographic entries a document's words hit, each once. Fed by <see cref="DemographicCounter"/>'s
/// own walk or by the walk shared with toxicity (<see cref="WordAnnotator"/>), in the same order.
/// </summary>
internal ref struct DemographicTally(WordTable<int> lookup, Span<bool> seen, string text)
{
    private const int MaxWordLength = 32;
    private readonly Span<bool> _seen = seen;
    private List<int>? _hits;

    /// <summary>One word (hyphen-joined runs).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(JoinedWord word)
    {
        if (word.Length > MaxWordLength) return;
        // An entry adds nothing the second time (pronouns recur in every sentence).
        if (lookup.TryGet(word.Hash, text, word.Start, word.Length, out var index) && !_seen[index]) AddHit(index);
    }

    // Not inlined: first hits are rare, and the walk inlines Add, whose size decides whether it is inlined at all.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void AddHit(int index)
    {
        _seen[index] = true;
        (_hits ??= []).Add(index);
    }

    /// <summary>The entries hit, in the order first hit.</summary>
    public readonly IReadOnlyList<int> Hits => _hits ?? [];
}
