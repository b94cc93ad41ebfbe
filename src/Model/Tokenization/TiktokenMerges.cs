namespace Pipeline.Model.Tokenization;

/// <summary>
/// Recovers BPE merge rules from a tiktoken rank table (which stores only tokens and ranks), the
/// way tiktoken's <c>load.py</c> and transformers' tiktoken converter do: a token's merge is the
/// last step BPE takes when it encodes the token's own bytes using only lower-ranked tokens, which
/// leaves exactly two parts. Tokens are in <see cref="ByteLevelAlphabet"/> form (one char per byte),
/// so string concatenation is byte concatenation.
/// </summary>
public static class TiktokenMerges
{
    /// <summary><paramref name="tokensByRank"/>[r] is the token of rank r; returns one merge per multi-byte token, in rank order.</summary>
    public static List<(string Left, string Right)> Derive(IReadOnlyList<string> tokensByRank)
    {
        var ranks = new Dictionary<string, int>(tokensByRank.Count, StringComparer.Ordinal);
        for (var r = 0; r < tokensByRank.Count; r++)
            if (!ranks.TryAdd(tokensByRank[r], r)) throw new InvalidDataException($"token of rank {r} repeats rank {ranks[tokensByRank[r]]}");
        var merges = new List<(string, string)>(tokensByRank.Count);
        for (var r = 0; r < tokensByRank.Count; r++)
        {
            var token = tokensByRank[r];
            if (token.Length < 2) continue;
            var parts = SplitBelowRank(token, ranks, r);
            if (parts.Count != 2)
                throw new InvalidDataException($"token of rank {r} is not the merge of two lower-ranked tokens (BPE leaves {parts.Count} parts)");
            merges.Add((parts[0], parts[1]));
        }
        return merges;
    }

    private static List<string> SplitBelowRank(string token, Dictionary<string, int> ranks, int maxRank)
    {
        var parts = token.Select(c => c.ToString()).ToList();
        while (parts.Count > 1)
        {
            var (best, bestRank) = (-1, maxRank);
            for (var i = 0; i + 1 < parts.Count; i++)
                if (ranks.TryGetValue(parts[i] + parts[i + 1], out var rank) && rank < bestRank) (best, bestRank) = (i, rank);
            if (best < 0) break;
            parts[best] += parts[best + 1];
            parts.RemoveAt(best + 1);
        }
        return parts;
    }
}
