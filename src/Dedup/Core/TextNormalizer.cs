using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace Pipeline.Dedup.Core;

/// <summary>
/// Rewrites text into the canonical form that exact hashing and shingling see. Punctuation becomes
/// a space (not nothing) so "end.Start" still splits into two words. ASCII, the bulk of most
/// corpora, goes through a lookup table; other characters through Unicode categories.
/// </summary>
public sealed class TextNormalizer
{
    private const byte Keep = 0, Space = 1, Punctuation = 2;
    private static readonly byte[] AsciiClass = BuildAsciiClasses();

    public TextNormalizer(NormalizationOptions options) => Options = options;

    public NormalizationOptions Options { get; }

    public string Normalize(string text) => Normalize(text, null);

    /// <summary>Normalises and, when <paramref name="words"/> is given, feeds it the output's words in the same pass.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal string Normalize(string text, WordShingles? words)
    {
        if (Options.UnicodeCompatibilityFold && !IsAscii(text) && !text.IsNormalized(NormalizationForm.FormKC))
            text = text.Normalize(NormalizationForm.FormKC);

        var buffer = ArrayPool<char>.Shared.Rent(text.Length);
        try
        {
            var length = 0;
            var pendingSpace = false;
            // Options copied to locals: the JIT cannot keep field loads out of a loop that writes an array.
            bool strip = Options.StripPunctuation, collapse = Options.CollapseWhitespace, lower = Options.Lowercase;
            var classes = AsciiClass;
            foreach (var raw in text)
            {
                var kind = raw < 128 ? classes[raw] : char.IsWhiteSpace(raw) ? Space : IsPunctuation(raw) ? Punctuation : Keep;
                var c = raw;
                if (kind == Punctuation && strip)
                {
                    c = ' ';
                    kind = Space;
                }
                if (kind == Space)
                {
                    words?.EndWord();
                    if (collapse)
                    {
                        pendingSpace = length > 0;
                        continue;
                    }
                }
                if (pendingSpace)
                {
                    buffer[length++] = ' ';
                    pendingSpace = false;
                }
                c = lower ? (c < 128 ? (char)(c is >= 'A' and <= 'Z' ? c | 0x20 : c) : char.ToLowerInvariant(c)) : c;
                buffer[length++] = c;
                if (kind != Space) words?.Append(c);
            }
            words?.Finish();
            return new string(buffer, 0, length);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    private static bool IsAscii(string text) => Ascii.IsValid(text);

    private static byte[] BuildAsciiClasses()
    {
        var classes = new byte[128];
        for (var c = 0; c < 128; c++)
            classes[c] = char.IsWhiteSpace((char)c) ? Space : IsPunctuation((char)c) ? Punctuation : Keep;
        return classes;
    }

    private static bool IsPunctuation(char c) => char.GetUnicodeCategory(c) switch
    {
        UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation
            or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
            or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation
            or UnicodeCategory.MathSymbol or UnicodeCategory.CurrencySymbol or UnicodeCategory.ModifierSymbol => true,
        _ => false,
    };
}
