namespace Pipeline.Dedup.Core;

public enum ShingleKind
{
    /// <summary>Contiguous runs of words (split on whitespace after normalisation).</summary>
    Word,
    /// <summary>Contiguous runs of characters: robust for text without spaces (Chinese, Japanese).</summary>
    Character,
}

public sealed record ShingleOptions
{
    public ShingleKind Kind { get; init; } = ShingleKind.Word;
    /// <summary>n in n-gram: 5 words (the common choice for web dedup), or e.g. 9 characters.</summary>
    public int Size { get; init; } = 5;
    /// <summary>Seed of the shingle hash; two corpora compare only when hashed with the same seed.</summary>
    public ulong Seed { get; init; } = 0x5EED_D0C5;
}
