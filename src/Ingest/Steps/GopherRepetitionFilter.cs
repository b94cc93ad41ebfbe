using System.Runtime.CompilerServices;
using Pipeline.Ingest.Text;

namespace Pipeline.Ingest.Steps;

/// <summary>
/// Gopher repetition rules, counted as DataTrove does: a line or paragraph is a duplicate from its
/// second occurrence on; n-grams are hashed word sequences, their size in characters is the words'
/// length; ratios are of the document's characters.
/// </summary>
public sealed class GopherRepetitionFilter(GopherRepetitionOptions options)
{
    public const string Name = "gopher_repetition";

    // Fully optimised from the first call: tiered JIT left these loops slow for seconds on a busy machine.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public FilterVerdict? Check(DocumentView view)
    {
        double totalChars = Math.Max(1, view.Text.Length);
        var (dupLines, dupLineChars) = view.RepeatedLines;
        var lineFraction = view.Lines.Length == 0 ? 0 : (double)dupLines / view.Lines.Length;
        if (lineFraction > options.MaxDuplicateLineFraction) return Drop("duplicate_lines", lineFraction, options.MaxDuplicateLineFraction);
        var (dupParagraphs, dupParagraphChars) = view.RepeatedParagraphs;
        var paragraphFraction = view.Paragraphs.Length == 0 ? 0 : (double)dupParagraphs / view.Paragraphs.Length;
        if (paragraphFraction > options.MaxDuplicateParagraphFraction) return Drop("duplicate_paragraphs", paragraphFraction, options.MaxDuplicateParagraphFraction);
        if (dupLineChars / totalChars > options.MaxDuplicateLineCharFraction) return Drop("duplicate_line_chars", dupLineChars / totalChars, options.MaxDuplicateLineCharFraction);
        if (dupParagraphChars / totalChars > options.MaxDuplicateParagraphCharFraction) return Drop("duplicate_paragraph_chars", dupParagraphChars / totalChars, options.MaxDuplicateParagraphCharFraction);

        var words = view.Words;
        if (words.Length < 2) return null;
        var count = words.Length;
        var scratch = Scratch.Value!;
        scratch.Ensure(count);
        var hashes = scratch.Hashes;
        var grams = scratch.Grams;
        var prefix = scratch.Prefix;
        var active = scratch.Active;
        var slots = scratch.Slots;
        HashWords(view.Text, words, hashes, grams, prefix, active);
        // Only positions whose (n-1)-gram occurs twice can start an n-gram that occurs twice, so each
        // n counts only the previous n's repeated positions; an n-gram seen once never decides a rule.
        var activeCount = count;
        var table = scratch.Table;
        // Once no n-gram repeats, no longer one does either: every later share is 0, which exceeds
        // no threshold unless one is negative.
        var noneNegative = NoneNegative(options.MaxTopNGramCharFraction) && NoneNegative(options.MaxDuplicateNGramCharFraction);
        for (var n = 2; n <= 4 + options.MaxDuplicateNGramCharFraction.Length && n <= count; n++)
        {
            if (activeCount == 0 && noneNegative) break;
            while (activeCount > 0 && active[activeCount - 1] + n > count) activeCount--;
            table.Reset(activeCount);
            var (best, bestFirst) = table.AddGrams(active.AsSpan(0, activeCount), grams, hashes, n, slots);
            activeCount = table.KeepRepeated(active.AsSpan(0, activeCount), slots);
            var topIndex = n - 2;
            if (topIndex < options.MaxTopNGramCharFraction.Length)
            {
                // Characters in all occurrences of the most frequent n-gram (only counted when it repeats).
                var share = (best < 2 ? 0 : (double)best * (prefix[bestFirst + n] - prefix[bestFirst])) / totalChars;
                if (share > options.MaxTopNGramCharFraction[topIndex]) return Drop($"top_{n}gram", share, options.MaxTopNGramCharFraction[topIndex]);
            }
            var dupIndex = n - 5;
            if (dupIndex >= 0 && dupIndex < options.MaxDuplicateNGramCharFraction.Length)
            {
                var share = DuplicateNGramChars(table, grams, prefix, active.AsSpan(0, activeCount), n) / totalChars;
                if (share > options.MaxDuplicateNGramCharFraction[dupIndex]) return Drop($"duplicate_{n}gram", share, options.MaxDuplicateNGramCharFraction[dupIndex]);
            }
        }
        return null;
    }

    /// <summary>
    /// Per word: its hash (also the 1-gram each n-gram hash starts from), the characters of the words
    /// before it (prefix, one longer than the words) and its position in the list of active positions.
    /// A loop of its own over spans: inside the long filter method the JIT kept the arrays on the stack.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void HashWords(ReadOnlySpan<char> text, ReadOnlySpan<Range> words, Span<ulong> hashes, Span<ulong> grams, Span<int> prefix, Span<int> active)
    {
        var count = words.Length;
        hashes = hashes[..count];
        grams = grams[..count];
        prefix = prefix[..(count + 1)];
        active = active[..count];
        var characters = 0;
        prefix[0] = 0;
        for (var i = 0; i < words.Length; i++)
        {
            var (start, end) = (words[i].Start.Value, words[i].End.Value);
            var hash = ShortTextHash.At(text, start, end - start);
            hashes[i] = hash;
            grams[i] = hash;
            characters += end - start;
            prefix[i + 1] = characters;
            active[i] = i;
        }
    }

    private static readonly ThreadLocal<NGramScratch> Scratch = new(() => new NGramScratch());

    /// <summary>
    /// Characters of n-grams seen before, skipping past each repeat (DataTrove's find_all_duplicate).
    /// Walks only the positions whose n-gram repeats somewhere: every other position would be a first
    /// sighting that no later position can match.
    /// </summary>
    private static double DuplicateNGramChars(NGramTable table, ulong[] grams, int[] prefix, ReadOnlySpan<int> repeatedPositions, int n)
    {
        table.Reset(repeatedPositions.Length);
        double repeated = 0;
        var next = 0;
        foreach (var i in repeatedPositions)
        {
            if (i < next) continue;
            if (table.Add(grams[i], i).Count > 1)
            {
                repeated += prefix[i + n] - prefix[i];
                next = i + n;
            }
        }
        return repeated;
    }

    private static bool NoneNegative(double[] thresholds)
    {
        foreach (var threshold in thresholds)
        {
            if (!(threshold >= 0)) return false;
        }
        return true;
    }

    private static FilterVerdict Drop(string rule, double value, double threshold) => new(Name, rule, value, threshold);
}
