using Pipeline.Model.Tokenization;

namespace Pipeline.Model.Tests;

/// <summary>A small SentencePiece-style vocabulary built in code: specials, 256 byte pieces, letters and a few words.</summary>
internal static class TinyTokenizer
{
    public static SentencePieceBpeTokenizer Create()
    {
        var pieces = new List<Piece> { new("<unk>", 0, PieceType.Unknown), new("<s>", 0, PieceType.Control), new("</s>", 0, PieceType.Control) };
        for (var b = 0; b < 256; b++) pieces.Add(new Piece($"<0x{b:X2}>", 0, PieceType.Byte));
        var score = 0f;
        foreach (var w in new[] { "▁t", "▁th", "▁the", "▁a", "▁c", "▁ca", "▁cat", "▁s", "▁sa", "▁sat", "▁o", "▁on", "▁m", "▁ma", "▁mat" })
            pieces.Add(new Piece(w, score--, PieceType.Normal));
        foreach (var c in "▁abcdefghijklmnopqrstuvwxyz.,")
            pieces.Add(new Piece(c.ToString(), score--, PieceType.Normal));
        return new SentencePieceBpeTokenizer(pieces, new SentencePieceOptions());
    }
}
