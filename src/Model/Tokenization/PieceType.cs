namespace Pipeline.Model.Tokenization;

/// <summary>SentencePiece's piece types (sentencepiece_model.proto).</summary>
public enum PieceType
{
    Normal = 1,
    Unknown = 2,
    Control = 3,
    UserDefined = 4,
    Unused = 5,
    Byte = 6,
}

public sealed record Piece(string Text, float Score, PieceType Type);
