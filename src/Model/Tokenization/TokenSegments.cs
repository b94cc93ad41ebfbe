using Microsoft.ML.Tokenizers;

namespace Pipeline.Model.Tokenization;

/// <summary>
/// For byte-level BPE, whose pre-tokeniser splits whitespace runs depending on what follows: the
/// joined text is encoded once and each token is attributed to the piece where it starts.
/// </summary>
internal static class TokenSegments
{
    public static IReadOnlyList<(int Id, int Segment)> Attribute(IReadOnlyList<EncodedToken> tokens, IReadOnlyList<string> segments, int offsetShift = 0)
    {
        var starts = new int[segments.Count];
        for (var i = 1; i < segments.Count; i++) starts[i] = starts[i - 1] + segments[i - 1].Length;
        return tokens.Select(t =>
        {
            var start = t.Offset.Start.Value - offsetShift;
            var segment = Array.FindLastIndex(starts, s => s <= start);
            return (t.Id, Math.Max(segment, 0));
        }).ToList();
    }
}
