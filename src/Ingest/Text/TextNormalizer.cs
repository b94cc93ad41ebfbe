using System.Buffers;
using System.Globalization;
using System.Text;

namespace Pipeline.Ingest.Text;

/// <summary>
/// NFC, then one pass over the characters: CR/LF unified to LF, tabs and Unicode spaces to one space,
/// control and zero-width characters removed, spaces trimmed at line ends, at most one blank line.
/// Filters and deduplication compare text, so two spellings of the same text must become one.
/// </summary>
public sealed class TextNormalizer
{
    public string Normalize(string text)
    {
        if (!IsAscii(text) && !text.IsNormalized(NormalizationForm.FormC)) text = text.Normalize(NormalizationForm.FormC);
        var rented = ArrayPool<char>.Shared.Rent(text.Length);
        try
        {
            var output = rented.AsSpan();
            var length = 0;
            var pendingSpace = false;
            var newlines = 0;
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (c == '\r')
                {
                    if (i + 1 < text.Length && text[i + 1] == '\n') continue;
                    c = '\n';
                }
                if (c is '\u2028' or '\u2029' or '\u0085') c = '\n';
                if (c == '\n')
                {
                    pendingSpace = false;
                    if (length > 0) newlines++;
                    continue;
                }
                if (c == '\t' || (c > 127 && IsSpace(c)) || c == ' ')
                {
                    pendingSpace = length > 0 && newlines == 0;
                    continue;
                }
                if (c < 32 || c == 127 || (c > 127 && IsInvisible(c))) continue;
                if (newlines > 0)
                {
                    output[length++] = '\n';
                    if (newlines > 1) output[length++] = '\n';
                    newlines = 0;
                }
                else if (pendingSpace)
                {
                    output[length++] = ' ';
                }
                pendingSpace = false;
                output[length++] = c;
            }
            return length == text.Length && output[..length].SequenceEqual(text) ? text : new string(output[..length]);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(rented);
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
