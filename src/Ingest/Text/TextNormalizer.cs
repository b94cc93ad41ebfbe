using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace Pipeline.Ingest.Text;

/// <summary>
/// NFC, then one pass over the characters: CR/LF unified to LF, tabs and Unicode spaces to one space,
/// control and zero-width characters removed, spaces trimmed at line ends, at most one blank line.
/// Filters and deduplication compare text, so two spellings of the same text must become one.
/// </summary>
public sealed class TextNormalizer
{
    // Fully optimised from the first call: tiered JIT left these loops slow for seconds on a busy machine.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public string Normalize(string text)
    {
        if (!IsAscii(text) && !text.IsNormalized(NormalizationForm.FormC)) text = text.Normalize(NormalizationForm.FormC);
        var rented = ArrayPool<char>.Shared.Rent(text.Length);
        try
        {
            var writer = new Writer(rented);
            var i = 0;
            while (i < text.Length)
            {
                // Printable ASCII and spaces go a run at a time; everything else one character at a time.
                var run = text.AsSpan(i).IndexOfAnyExceptInRange(' ', '~');
                var runEnd = run < 0 ? text.Length : i + run;
                if (runEnd > i)
                {
                    writer.PrintableRun(text.AsSpan(i, runEnd - i));
                    i = runEnd;
                    continue;
                }
                var c = text[i++];
                if (c == '\r')
                {
                    if (i < text.Length && text[i] == '\n') continue;
                    c = '\n';
                }
                if (c is '\n' or '\u2028' or '\u2029' or '\u0085') writer.Newline();
                else if (c == '\t' || (c > 127 && IsSpace(c))) writer.Space();
                else if (!(c < 32 || c == 127 || (c > 127 && IsInvisible(c)))) writer.Visible(c);
            }
            var output = writer.Written;
            return output.Length == text.Length && output.SequenceEqual(text) ? text : new string(output);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// The output and what is pending: a space is written only before the next visible character of
    /// the same line, newlines (at most two) only before the next visible character.
    /// </summary>
    private ref struct Writer(Span<char> output)
    {
        private readonly Span<char> _output = output;
        private int _length;
        private bool _pendingSpace;
        private int _newlines;

        public readonly ReadOnlySpan<char> Written => _output[.._length];

        public void Newline()
        {
            _pendingSpace = false;
            if (_length > 0) _newlines++;
        }

        public void Space() => _pendingSpace = _length > 0 && _newlines == 0;

        public void Visible(char c)
        {
            if (_newlines > 0)
            {
                _output[_length++] = '\n';
                if (_newlines > 1) _output[_length++] = '\n';
                _newlines = 0;
            }
            else if (_pendingSpace)
            {
                _output[_length++] = ' ';
            }
            _pendingSpace = false;
            _output[_length++] = c;
        }

        /// <summary>Characters ' ' to '~': copied as they are between the first and last visible one when no two spaces meet.</summary>
        public void PrintableRun(ReadOnlySpan<char> run)
        {
            var first = run.IndexOfAnyExcept(' ');
            if (first < 0) { Space(); return; }
            if (first > 0) Space();
            var last = run.LastIndexOfAnyExcept(' ');
            var middle = run[first..(last + 1)];
            if (middle.Contains("  ", StringComparison.Ordinal))
            {
                foreach (var c in middle)
                {
                    if (c == ' ') Space(); else Visible(c);
                }
            }
            else
            {
                Visible(middle[0]);
                middle[1..].CopyTo(_output[_length..]);
                _length += middle.Length - 1;
            }
            if (last < run.Length - 1) Space();
        }
    }

    private static bool IsAscii(string text) => Ascii.IsValid(text);

    private static bool IsSpace(char c) => char.IsWhiteSpace(c) && c != '\u0085' && c != '\u2028' && c != '\u2029' || c == '\u00a0';

    /// <summary>Zero-width and format characters (U+200B, U+FEFF, soft hyphen...) and C1 controls carry no text.</summary>
    private static bool IsInvisible(char c)
    {
        if (c is '\u200d' or '\u200c') return false; // joiners shape emoji and Indic scripts
        var category = char.GetUnicodeCategory(c);
        return category is UnicodeCategory.Format or UnicodeCategory.Control;
    }
}
