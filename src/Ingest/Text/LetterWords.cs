using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Pipeline.Ingest.Text;

/// <summary>
/// The runs of letters of a text with their lower-cased <see cref="WordHash"/>, found in one pass and
/// shared by language identification, toxicity and demographics. Each consumer joins runs its own way:
/// language ID and toxicity join runs separated by one apostrophe ("don't"), demographics by one
/// hyphen ("non-binary"), so a run records which joiner, if any, sits between it and the run before.
/// When C4 removes lines or PII is replaced, the runs are carried over to the new text rather than
/// found again (see LetterWords.Edits.cs). Buffers are reused.
/// </summary>
public sealed partial class LetterWords
{
    private const ulong AsciiLowerBits = 0x0020_0020_0020_0020UL;

    private LetterRun[] _runs = new LetterRun[256];

    public int Count { get; private set; }
    public ReadOnlySpan<LetterRun> Runs => _runs.AsSpan(0, Count);

    public static LetterWords Of(ReadOnlySpan<char> text)
    {
        var words = new LetterWords();
        words.Tokenize(text);
        return words;
    }

    public void Tokenize(ReadOnlySpan<char> text)
    {
        Count = 0;
        Append(text, 0);
    }

    /// <summary>The runs as the one-character-at-a-time scan finds them (what <see cref="Tokenize"/> must equal).</summary>
    internal void TokenizeOneByOne(ReadOnlySpan<char> text)
    {
        Count = 0;
        AppendOneByOne(text, 0);
    }

    /// <summary>
    /// Appends the runs that start at or after <paramref name="from"/>, as a pass over the whole text
    /// finds them, given that <paramref name="from"/> is not inside a run and the runs before it are in place.
    /// </summary>
    /// <remarks>
    /// 64 characters at a time: a bit mask of letters (<see cref="LetterMask"/>) gives every run's start
    /// and end by trailing-zero counts. The scan per character mispredicted a branch at nearly every
    /// run's end; here the branches are per run and per 64 characters. The last partial block, and
    /// machines without vector instructions, take the scan per character.
    /// </remarks>
    // Fully optimised from the first call: tiered JIT left these loops slow for seconds on a busy machine.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Append(ReadOnlySpan<char> text, int from)
    {
        if (!Vector128.IsHardwareAccelerated)
        {
            AppendOneByOne(text, from);
            return;
        }
        var previousEnd = PreviousEnd();
        var block = from;
        // The start of a run that reached the end of the previous block, else -1.
        var open = -1;
        for (; block + LetterMask.Width <= text.Length; block += LetterMask.Width)
        {
            // Room for every run this block can add (one per two characters, plus the one left open),
            // so adding a run needs no check.
            if (Count + LetterMask.Width / 2 + 1 > _runs.Length) Array.Resize(ref _runs, Math.Max(_runs.Length * 2, Count + LetterMask.Width));
            var letters = LetterMask.Of(text.Slice(block, LetterMask.Width));
            if (open >= 0)
            {
                var continued = (int)ulong.TrailingZeroCount(~letters);
                if (continued == LetterMask.Width) continue;
                Add(text, open, block + continued, ref previousEnd);
                open = -1;
                letters &= ~0UL << continued;
            }
            while (letters != 0)
            {
                var start = (int)ulong.TrailingZeroCount(letters);
                var after = ~letters & (~0UL << start);
                if (after == 0)
                {
                    open = block + start;
                    break;
                }
                var end = (int)ulong.TrailingZeroCount(after);
                Add(text, block + start, block + end, ref previousEnd);
                letters &= ~0UL << end;
            }
        }
        if (open >= 0)
        {
            var end = block;
            while (end < text.Length && LowerLetter(text[end]) != 0) end++;
            if (Count == _runs.Length) Array.Resize(ref _runs, Count * 2);
            Add(text, open, end, ref previousEnd);
            block = end;
        }
        AppendOneByOne(text, block);
    }

    /// <summary>Adds the run text[start..end), hashing it and finding its joiner; the caller made room for it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Add(ReadOnlySpan<char> text, int start, int end, ref int previousEnd)
    {
        var length = end - start;
        var joiner = start - 1 == previousEnd && text[previousEnd] is '\'' or '-' ? text[previousEnd] : '\0';
        _runs[Count++] = new LetterRun(start, length, HashOf(text, start, length), joiner);
        previousEnd = end;
    }

    /// <summary>
    /// A run of at most eight ASCII letters is hashed from two 8-byte reads (lower-cased by setting
    /// each character's 0x20 bit), without a loop; others one character at a time.
    /// </summary>
    /// <remarks>
    /// A call of its own (not inlined): inside the block loop of <see cref="Append"/> the JIT ran out of
    /// registers and kept every partial sum of the hash on the stack, a store and a reload per character.
    /// </remarks>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ulong HashOf(ReadOnlySpan<char> text, int start, int length)
    {
        if (AsciiWord.CanReadMasked(text.Length, start, length))
        {
            var (first, second) = AsciiWord.ReadMasked(text, start, length);
            if (AsciiWord.IsAscii(first | second))
                return WordHash.OfPacked((first | AsciiLowerBits) & AsciiWord.FirstFourMask(length), (second | AsciiLowerBits) & AsciiWord.NextFourMask(length), length);
        }
        return LoopHash(text.Slice(start, length));
    }

    private static ulong LoopHash(ReadOnlySpan<char> run)
    {
        ulong hash = 0;
        foreach (var c in run) hash = WordHash.Append(hash, LowerLetter(c));
        return hash;
    }

    private int PreviousEnd() => Count == 0 ? -2 : _runs[Count - 1].Start + _runs[Count - 1].Length;

    /// <summary><see cref="Append"/> one character at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void AppendOneByOne(ReadOnlySpan<char> text, int from)
    {
        var previousEnd = PreviousEnd();
        var i = from;
        while (i < text.Length)
        {
            var c = text[i];
            var lower = LowerLetter(c);
            if (lower == 0) { i++; continue; }
            var start = i;
            ulong hash = 0;
            while (true)
            {
                hash = WordHash.Append(hash, lower);
                if (++i == text.Length) break;
                lower = LowerLetter(text[i]);
                if (lower == 0) break;
            }
            var joiner = start - 1 == previousEnd && text[previousEnd] is '\'' or '-' ? text[previousEnd] : '\0';
            if (Count == _runs.Length) Array.Resize(ref _runs, Count * 2);
            _runs[Count++] = new LetterRun(start, i - start, hash, joiner);
            previousEnd = i;
        }
    }

    /// <summary>A letter lower-cased, anything else '\0'; ASCII decided with arithmetic (nearly every character).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static char LowerLetter(char c)
    {
        if (c < 128)
        {
            var lower = (char)(c | 0x20);
            return (uint)(lower - 'a') <= 'z' - 'a' ? lower : '\0';
        }
        return char.IsLetter(c) ? char.ToLowerInvariant(c) : '\0';
    }
}
