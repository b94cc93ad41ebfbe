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
        var count = words.Count;
        var hashes = new ulong[count];
        var grams = new ulong[count];
        var prefix = new int[count + 1];
        for (var i = 0; i < count; i++)
        {
            var word = view.Span(words[i]);
            hashes[i] = XxHash3.HashToUInt64(MemoryMarshal.AsBytes(word));
            grams[i] = hashes[i];
            prefix[i + 1] = prefix[i] + word.Length;
        }
        var table = Table.Value!;
        // grams[i] holds the hash of the n words starting at i, extended by one word per n.
        for (var n = 2; n <= 4 + options.MaxDuplicateNGramCharFraction.Length && n <= count; n++)
        {
            for (var i = 0; i + n <= count; i++) grams[i] = (grams[i] ^ hashes[i + n - 1]) * 0x9E3779B97F4A7C15UL + (ulong)n;
            var topIndex = n - 2;
            if (topIndex < options.MaxTopNGramCharFraction.Length)
            {
                var share = TopNGramChars(table, grams, prefix, count, n) / totalChars;
                if (share > options.MaxTopNGramCharFraction[topIndex]) return Drop($"top_{n}gram", share, options.MaxTopNGramCharFraction[topIndex]);
            }
            var dupIndex = n - 5;
            if (dupIndex >= 0 && dupIndex < options.MaxDuplicateNGramCharFraction.Length)
            {
                var share = DuplicateNGramChars(table, grams, prefix, count, n) / totalChars;
                if (share > options.MaxDuplicateNGramCharFraction[dupIndex]) return Drop($"duplicate_{n}gram", share, options.MaxDuplicateNGramCharFraction[dupIndex]);
            }
        }
        return null;
    }

    private static readonly ThreadLocal<NGramTable> Table = new(() => new NGramTable());

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

    /// <summary>Characters in all occurrences of the most frequent n-gram (only counted when it repeats).</summary>
    private static double TopNGramChars(NGramTable table, ulong[] grams, int[] prefix, int count, int n)
    {
        table.Reset(count);
        var best = 0;
        var bestFirst = 0;
        for (var i = 0; i + n <= count; i++)
        {
            var (seen, first) = table.Add(grams[i], i);
            if (seen > best) { best = seen; bestFirst = first; }
        }
        return best < 2 ? 0 : (double)best * (prefix[bestFirst + n] - prefix[bestFirst]);
    }

    /// <summary>Characters of n-grams seen before, skipping past each repeat (DataTrove's find_all_duplicate).</summary>
    private static double DuplicateNGramChars(NGramTable table, ulong[] grams, int[] prefix, int count, int n)
    {
        table.Reset(count);
        double repeated = 0;
        var i = 0;
        while (i + n <= count)
        {
            if (table.Add(grams[i], i).Count > 1)
            {
                repeated += prefix[i + n] - prefix[i];
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
