namespace Pipeline.Dedup.Core;

/// <summary>
/// What two texts may differ in and still count as the same content. Defaults suit web-like prose:
/// case, runs of whitespace and punctuation are ignored, Unicode compatibility forms are folded.
/// </summary>
public sealed record NormalizationOptions
{
    public bool Lowercase { get; init; } = true;
    public bool CollapseWhitespace { get; init; } = true;
    public bool StripPunctuation { get; init; } = true;
    /// <summary>NFKC folds ligatures, full-width forms and compatibility digits into one spelling.</summary>
    public bool UnicodeCompatibilityFold { get; init; } = true;

    public static NormalizationOptions Default { get; } = new();

    /// <summary>Byte-for-byte comparison (only an exact copy is a duplicate).</summary>
    public static NormalizationOptions None { get; } = new()
    {
        Lowercase = false, CollapseWhitespace = false, StripPunctuation = false, UnicodeCompatibilityFold = false,
    };
}
