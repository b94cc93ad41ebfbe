using System.Text;
using System.Text.Json;

namespace Pipeline.Model.Tokenization;

/// <summary>
/// SentencePiece-style BPE (what Llama 2 uses): spaces become '▁', a dummy '▁' is prepended,
/// symbols start as single characters and the best adjacent pair is merged repeatedly; characters
/// the vocabulary lacks fall back to their UTF-8 bytes (&lt;0xXX&gt; pieces).
/// The "best" pair is the one whose merged piece has the highest score (tokenizer.model) or whose
/// merge rule has the lowest rank (tokenizer.json) — the two orders agree for converted models.
/// </summary>
public sealed class SentencePieceBpeTokenizer : TextTokenizer
{
    private readonly List<Piece> pieces;
    private readonly Dictionary<string, int> ids;
    private readonly Dictionary<(string, string), int>? mergeRanks;
    private readonly int[] byteIds = new int[256];
    private readonly string[] userDefined;

    public SentencePieceBpeTokenizer(IReadOnlyList<Piece> pieces, SentencePieceOptions options, IReadOnlyList<(string Left, string Right)>? merges = null)
    {
        this.pieces = pieces.ToList();
        Options = options;
        ids = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < pieces.Count; i++) ids.TryAdd(pieces[i].Text, i);
        if (merges is not null)
        {
            mergeRanks = new Dictionary<(string, string), int>();
            for (var r = 0; r < merges.Count; r++) mergeRanks.TryAdd(merges[r], r);
        }
        Array.Fill(byteIds, -1);
        for (var b = 0; b < 256; b++)
            if (ids.TryGetValue($"<0x{b:X2}>", out var id)) byteIds[b] = id;
        if (options.ByteFallback && byteIds.Any(i => i < 0))
            throw new InvalidDataException("byte_fallback is on but the vocabulary lacks some <0xXX> byte pieces");
        userDefined = pieces.Where(p => p.Type == PieceType.UserDefined).Select(p => p.Text).OrderByDescending(t => t.Length).ToArray();
    }

    public SentencePieceOptions Options { get; }

    public IReadOnlyList<Piece> Pieces => pieces;

    public override string Kind => mergeRanks is null ? "sentencepiece-bpe" : "hf-bpe";
    public override int VocabSize => pieces.Count;
    public override int? BosId => Options.BosId;
    public override int? EosId => Options.EosId;

    public int? TokenToId(string token) => ids.TryGetValue(token, out var id) ? id : null;

    public override string IdToToken(int id) => pieces[id].Text;

    public override IReadOnlyList<int> Encode(string text, bool addBos = false, bool continuation = false)
    {
        var result = new List<int>();
        if (addBos && BosId is int bos) result.Add(bos);
        var normalized = Normalize(text, continuation);
        if (normalized.Length == 0) return result;
        foreach (var symbol in Merge(InitialSymbols(normalized)))
        {
            if (ids.TryGetValue(symbol, out var id) && pieces[id].Type != PieceType.Unused) result.Add(id);
            else if (Options.ByteFallback) foreach (var b in Encoding.UTF8.GetBytes(symbol)) result.Add(byteIds[b]);
            else result.Add(Options.UnkId);
        }
        return result;
    }

    public override string Decode(IEnumerable<int> tokenIds)
    {
        var sb = new StringBuilder();
        var bytes = new List<byte>();
        void Flush()
        {
            if (bytes.Count == 0) return;
            sb.Append(Encoding.UTF8.GetString(bytes.ToArray()));
            bytes.Clear();
        }
        foreach (var id in tokenIds)
        {
            if (id < 0 || id >= pieces.Count) throw new ArgumentOutOfRangeException(nameof(tokenIds), $"token id {id} outside vocabulary of {pieces.Count}");
            var p = pieces[id];
            switch (p.Type)
            {
                case PieceType.Control: continue;
                case PieceType.Byte: bytes.Add(Convert.ToByte(p.Text.Substring(3, 2), 16)); continue;
                case PieceType.Unknown: Flush(); sb.Append(" \u2047 "); continue;
                default: Flush(); sb.Append(p.Text.Replace('\u2581', ' ')); continue;
            }
        }
        Flush();
        var s = sb.ToString();
        return Options.AddDummyPrefix && s.StartsWith(' ') ? s[1..] : s;
    }

    private string Normalize(string text, bool continuation)
    {
        if (Options.NfkcNormalize) text = text.Normalize(NormalizationForm.FormKC);
        if (Options.RemoveExtraWhitespaces)
        {
            var sb = new StringBuilder(text.Length);
            foreach (var c in text.Trim(' '))
                if (c != ' ' || sb.Length == 0 || sb[^1] != ' ') sb.Append(c);
            text = sb.ToString();
        }
        if (text.Length == 0) return text;
        if (Options.AddDummyPrefix && !continuation) text = " " + text;
        return text.Replace(' ', '\u2581');
    }

    /// <summary>Code points, except that user-defined pieces are kept whole (SentencePiece's prefix matcher).</summary>
    private List<string> InitialSymbols(string s)
    {
        var symbols = new List<string>(s.Length);
        var i = 0;
        while (i < s.Length)
        {
            var match = userDefined.FirstOrDefault(u => string.CompareOrdinal(s, i, u, 0, u.Length) == 0);
            var len = match?.Length ?? (char.IsHighSurrogate(s[i]) && i + 1 < s.Length ? 2 : 1);
            symbols.Add(s.Substring(i, len));
            i += len;
        }
        return symbols;
    }

    private double? Priority(string left, string right)
    {
        if (mergeRanks is not null) return mergeRanks.TryGetValue((left, right), out var rank) ? -rank : null;
        if (!ids.TryGetValue(left + right, out var id)) return null;
        var p = pieces[id];
        return p.Type is PieceType.Normal or PieceType.UserDefined or PieceType.Unused ? p.Score : null;
    }

    /// <summary>Heap-driven BPE over a linked list of symbols: O(n log n), best priority first, ties leftmost.</summary>
    private IEnumerable<string> Merge(List<string> symbols)
    {
        var n = symbols.Count;
        var text = symbols.ToArray();
        var prev = new int[n];
        var next = new int[n];
        for (var i = 0; i < n; i++) { prev[i] = i - 1; next[i] = i + 1 < n ? i + 1 : -1; }
        var queue = new PriorityQueue<(int Left, int Right, string Merged), (double, int)>();
        void Push(int l, int r)
        {
            if (l < 0 || r < 0) return;
            if (Priority(text[l], text[r]) is double p) queue.Enqueue((l, r, text[l] + text[r]), (-p, l));
        }
        for (var i = 0; i + 1 < n; i++) Push(i, i + 1);
        while (queue.TryDequeue(out var c, out _))
        {
            // Stale candidate: one side was merged away or changed since it was queued.
            if (text[c.Left] is null || text[c.Right] is null || next[c.Left] != c.Right || text[c.Left] + text[c.Right] != c.Merged) continue;
            text[c.Left] = c.Merged;
            text[c.Right] = null!;
            next[c.Left] = next[c.Right];
            if (next[c.Right] >= 0) prev[next[c.Right]] = c.Left;
            Push(prev[c.Left], c.Left);
            Push(c.Left, next[c.Left]);
        }
        for (var i = 0; i >= 0; i = next[i]) yield return text[i];
    }

    public override void SaveTo(string folder) => HfTokenizerJson.Write(this, Path.Combine(folder, "tokenizer.json"));
}
