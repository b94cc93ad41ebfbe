using System.Globalization;
using System.Text;

namespace Pipeline.Dedup.Core;

/// <summary>
/// Rewrites text into the canonical form that exact hashing and shingling see. Punctuation becomes
/// a space (not nothing) so "end.Start" still splits into two words.
/// </summary>
public sealed class TextNormalizer(NormalizationOptions options)
{
    public NormalizationOptions Options { get; } = options;

    public string Normalize(string text)
    {
        if (Options.UnicodeCompatibilityFold && !text.IsNormalized(NormalizationForm.FormKC))
            text = text.Normalize(NormalizationForm.FormKC);

        var builder = new StringBuilder(text.Length);
        var pendingSpace = false;
        foreach (var raw in text)
        {
            var c = raw;
            if (Options.StripPunctuation && IsPunctuation(c)) c = ' ';
            if (Options.CollapseWhitespace && char.IsWhiteSpace(c))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }
            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }
            builder.Append(Options.Lowercase ? char.ToLowerInvariant(c) : c);
        }
        return builder.ToString();
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
