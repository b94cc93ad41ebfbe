namespace Pipeline.Model.Tokenization;

/// <summary>The normaliser/trainer flags of a SentencePiece model that change how text is encoded.</summary>
public sealed record SentencePieceOptions(
    bool AddDummyPrefix = true,
    bool RemoveExtraWhitespaces = false,
    bool ByteFallback = true,
    bool NfkcNormalize = false,
    int UnkId = 0,
    int? BosId = 1,
    int? EosId = 2);
