using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Pipeline.Ingest.Text;

/// <summary>
/// Lines, paragraphs and words of a normalised text, found once and shared by every filter (each
/// filter re-splitting the text would be most of the cost of the chain). Words are whitespace-separated
/// tokens, except that each Han/kana character counts as one word, since those scripts use no spaces.
/// </summary>
public sealed partial class DocumentView
{
    private readonly List<Range> _lines = [];
    private readonly List<Range> _paragraphs = [];
    private readonly List<Range> _words = [];
    private readonly List<int> _lineWordEnds = [];

    public DocumentView(string text)
    {
        Text = text;
        Split();
    }

    /// <summary>An empty view, to be filled by <see cref="Reset"/> or <see cref="WithoutLines"/>.</summary>
    public DocumentView() => Text = "";

    /// <summary>
    /// Makes this the view of <paramref name="text"/>, reusing its lists: the chain splits every
    /// document, and growing three fresh lists per document was a third of what it allocated.
    /// </summary>
    public void Reset(string text)
    {
        Clear();
        Text = text;
        Split();
    }

    private void Clear()
    {
        _lines.Clear();
        _paragraphs.Clear();
        _words.Clear();
        _lineWordEnds.Clear();
        NewlineCount = 0;
        WordCharacters = 0;
        CjkCharacters = 0;
        _repeatedLines = null;
        _repeatedParagraphs = null;
    }

    public string Text { get; private set; }
    /// <summary>Non-empty lines.</summary>
    // Spans rather than IReadOnlyList: the filters walk every word, and interface calls per element cost more than the work.
    public ReadOnlySpan<Range> Lines => CollectionsMarshal.AsSpan(_lines);
    public ReadOnlySpan<Range> Paragraphs => CollectionsMarshal.AsSpan(_paragraphs);
    public ReadOnlySpan<Range> Words => CollectionsMarshal.AsSpan(_words);
    /// <summary>
    /// Per line, the index in <see cref="Words"/> just past its last word: line i holds words
    /// [LineWordEnds[i - 1] (0 for the first), LineWordEnds[i]), since every word lies in a line.
    /// Recorded during the split, so C4 counts a line's words without walking them.
    /// </summary>
    public ReadOnlySpan<int> LineWordEnds => CollectionsMarshal.AsSpan(_lineWordEnds);
    public int NewlineCount { get; private set; }
    /// <summary>Characters in all words (Gopher's mean word length).</summary>
    public long WordCharacters { get; private set; }
    public int CjkCharacters { get; private set; }

    // Offsets straight from the range: the indexer's general Range handling (from-end indexes) cost more than the filters' work per word.
    // Inlined: called per word and per line, and the JIT left it a call in the larger filters.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<char> Span(Range range) => Text.AsSpan(range.Start.Value, range.End.Value - range.Start.Value);

    /// <summary>Lines that repeat an earlier line (Gopher repetition and FineWeb both ask).</summary>
    public RepeatedParts RepeatedLines => _repeatedLines ??= RepeatedParts.Of(Text, Lines);
    public RepeatedParts RepeatedParagraphs => _repeatedParagraphs ??= RepeatedParts.Of(Text, Paragraphs);
    private RepeatedParts? _repeatedLines;
    private RepeatedParts? _repeatedParagraphs;

    private void Split()
    {
        var text = Text.AsSpan();
        // Han and kana are the only characters that split words by themselves; text without any
        // (nearly all of it) takes the loop that looks for spaces and newlines only.
        if (text.IndexOfAnyInRange('\u3040', '\uffff') < 0) SplitSpacesOnly(text);
        else SplitWithCjk(text);
    }

    /// <summary>
    /// Finds the spaces and newlines 16 characters at a time (a vector compare and a bit mask) and
    /// visits only those: words sit between consecutive separators.
    /// </summary>
    // Fully optimised from the first call: tiered JIT left these loops slow for seconds on a busy machine.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void SplitSpacesOnly(ReadOnlySpan<char> text)
    {
        var lineStart = 0;
        var paragraphStart = 0;
        var wordStart = 0;
        long wordCharacters = 0;
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var chars = MemoryMarshal.Cast<char, ushort>(text);
            var space = Vector256.Create((ushort)' ');
            var newline = Vector256.Create((ushort)'\n');
            for (; i + Vector256<ushort>.Count <= chars.Length; i += Vector256<ushort>.Count)
            {
                var block = Vector256.Create(chars.Slice(i, Vector256<ushort>.Count));
                var separators = (Vector256.Equals(block, space) | Vector256.Equals(block, newline)).ExtractMostSignificantBits();
                while (separators != 0)
                {
                    var at = i + BitOperations.TrailingZeroCount(separators);
                    separators &= separators - 1;
                    Separator(text, at, ref wordStart, ref wordCharacters, ref lineStart, ref paragraphStart);
                }
            }
        }
        for (; i < text.Length; i++)
        {
            if (text[i] is ' ' or '\n') Separator(text, i, ref wordStart, ref wordCharacters, ref lineStart, ref paragraphStart);
        }
        if (text.Length > wordStart) { _words.Add(new Range(wordStart, text.Length)); wordCharacters += text.Length - wordStart; }
        EndText(text.Length, lineStart, paragraphStart);
        WordCharacters = wordCharacters;
    }

    private void Separator(ReadOnlySpan<char> text, int at, ref int wordStart, ref long wordCharacters, ref int lineStart, ref int paragraphStart)
    {
        if (at > wordStart) { _words.Add(new Range(wordStart, at)); wordCharacters += at - wordStart; }
        wordStart = at + 1;
        if (text[at] == '\n') EndLine(text, at, ref lineStart, ref paragraphStart);
    }

    private void SplitWithCjk(ReadOnlySpan<char> text)
    {
        var lineStart = 0;
        var paragraphStart = 0;
        var wordStart = -1;
        long wordCharacters = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\n' || c == ' ')
            {
                if (wordStart >= 0) { _words.Add(new Range(wordStart, i)); wordCharacters += i - wordStart; wordStart = -1; }
                if (c == '\n') EndLine(text, i, ref lineStart, ref paragraphStart);
                continue;
            }
            if (IsCjk(c))
            {
                if (wordStart >= 0) { _words.Add(new Range(wordStart, i)); wordCharacters += i - wordStart; }
                _words.Add(new Range(i, i + 1));
                wordCharacters++;
                CjkCharacters++;
                wordStart = -1;
                continue;
            }
            if (wordStart < 0) wordStart = i;
        }
        if (wordStart >= 0) { _words.Add(new Range(wordStart, text.Length)); wordCharacters += text.Length - wordStart; }
        EndText(text.Length, lineStart, paragraphStart);
        WordCharacters = wordCharacters;
    }

    /// <summary>A newline at <paramref name="i"/>: closes the line, and the paragraph when a blank line follows.</summary>
    private void EndLine(ReadOnlySpan<char> text, int i, ref int lineStart, ref int paragraphStart)
    {
        NewlineCount++;
        if (i > lineStart) AddLine(lineStart, i);
        var blankFollows = i + 1 < text.Length && text[i + 1] == '\n';
        if (blankFollows && i > paragraphStart) _paragraphs.Add(new Range(paragraphStart, i));
        if (blankFollows) paragraphStart = i + 2;
        lineStart = i + 1;
    }

    private void EndText(int length, int lineStart, int paragraphStart)
    {
        if (length > lineStart) AddLine(lineStart, length);
        if (length > paragraphStart) _paragraphs.Add(new Range(paragraphStart, length));
    }

    /// <summary>A line whose words are all added.</summary>
    private void AddLine(int start, int end)
    {
        _lines.Add(new Range(start, end));
        _lineWordEnds.Add(_words.Count);
    }

    /// <summary>CJK ideographs, kana and the CJK punctuation block.</summary>
    public static bool IsCjk(char c) => c is >= '\u3040' and <= '\u30ff' or >= '\u3400' and <= '\u4dbf' or >= '\u4e00' and <= '\u9fff' or >= '\uf900' and <= '\ufaff';
}
