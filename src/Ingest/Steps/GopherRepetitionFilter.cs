using System.IO.Hashing;
using System.Runtime.InteropServices;
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

    public FilterVerdict? Check(DocumentView view)
    {
        double totalChars = Math.Max(1, view.Text.Length);
        var (dupLines, dupLineChars) = Duplicates(view, view.Lines);
        var lineFraction = view.Lines.Count == 0 ? 0 : (double)dupLines / view.Lines.Count;
        if (lineFraction > options.MaxDuplicateLineFraction) return Drop("duplicate_lines", lineFraction, options.MaxDuplicateLineFraction);
        var (dupParagraphs, dupParagraphChars) = Duplicates(view, view.Paragraphs);
        var paragraphFraction = view.Paragraphs.Count == 0 ? 0 : (double)dupParagraphs / view.Paragraphs.Count;
        if (paragraphFraction > options.MaxDuplicateParagraphFraction) return Drop("duplicate_paragraphs", paragraphFraction, options.MaxDuplicateParagraphFraction);
        if (dupLineChars / totalChars > options.MaxDuplicateLineCharFraction) return Drop("duplicate_line_chars", dupLineChars / totalChars, options.MaxDuplicateLineCharFraction);
        if (dupParagraphChars / totalChars > options.MaxDuplicateParagraphCharFraction) return Drop("duplicate_paragraph_chars", dupParagraphChars / totalChars, options.MaxDuplicateParagraphCharFraction);

        var words = view.Words;
        if (words.Count < 2) return null;
        var hashes = new ulong[words.Count];
        var lengths = new int[words.Count];
        for (var i = 0; i < words.Count; i++)
        {
            var word = view.Span(words[i]);
            hashes[i] = XxHash3.HashToUInt64(MemoryMarshal.AsBytes(word));
            lengths[i] = word.Length;
        }
        for (var k = 0; k < options.MaxTopNGramCharFraction.Length; k++)
        {
            var share = TopNGramChars(hashes, lengths, k + 2) / totalChars;
            if (share > options.MaxTopNGramCharFraction[k]) return Drop($"top_{k + 2}gram", share, options.MaxTopNGramCharFraction[k]);
        }
        for (var k = 0; k < options.MaxDuplicateNGramCharFraction.Length; k++)
        {
            var share = DuplicateNGramChars(hashes, lengths, k + 5) / totalChars;
            if (share > options.MaxDuplicateNGramCharFraction[k]) return Drop($"duplicate_{k + 5}gram", share, options.MaxDuplicateNGramCharFraction[k]);
        }
        return null;
    }

    private static (int Count, double Chars) Duplicates(DocumentView view, IReadOnlyList<Range> parts)
    {
        if (parts.Count < 2) return (0, 0);
        var seen = new HashSet<string>(parts.Count, StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
        var count = 0;
        double chars = 0;
        foreach (var range in parts)
        {
            var part = view.Span(range);
            if (!seen.Add(part)) { count++; chars += part.Length; }
        }
        return (count, chars);
    }

    private static ulong NGramHash(ulong[] hashes, int start, int n)
    {
        var h = 14695981039346656037UL;
        for (var j = 0; j < n; j++) h = (h ^ hashes[start + j]) * 1099511628211UL;
        return h;
    }

    private static int NGramChars(int[] lengths, int start, int n)
    {
        var sum = 0;
        for (var j = 0; j < n; j++) sum += lengths[start + j];
        return sum;
    }

    /// <summary>Characters in all occurrences of the most frequent n-gram (only counted when it repeats).</summary>
    private static double TopNGramChars(ulong[] hashes, int[] lengths, int n)
    {
        if (hashes.Length < n) return 0;
        var counts = new Dictionary<ulong, (int Count, int First)>(hashes.Length);
        var best = 0;
        var bestFirst = 0;
        for (var i = 0; i + n <= hashes.Length; i++)
        {
            ref var entry = ref CollectionsMarshal.GetValueRefOrAddDefault(counts, NGramHash(hashes, i, n), out var exists);
            if (!exists) entry.First = i;
            entry.Count++;
            if (entry.Count > best) { best = entry.Count; bestFirst = entry.First; }
        }
        return best < 2 ? 0 : (double)best * NGramChars(lengths, bestFirst, n);
    }

    /// <summary>Characters of n-grams seen before, skipping past each repeat (DataTrove's find_all_duplicate).</summary>
    private static double DuplicateNGramChars(ulong[] hashes, int[] lengths, int n)
    {
        if (hashes.Length < n) return 0;
        var unique = new HashSet<ulong>(hashes.Length);
        double repeated = 0;
        var i = 0;
        while (i + n <= hashes.Length)
        {
            if (!unique.Add(NGramHash(hashes, i, n)))
            {
                repeated += NGramChars(lengths, i, n);
                i += n;
            }
            else
            {
                i++;
            }
        }
        return repeated;
    }

    private static FilterVerdict Drop(string rule, double value, double threshold) => new(Name, rule, value, threshold);
}
