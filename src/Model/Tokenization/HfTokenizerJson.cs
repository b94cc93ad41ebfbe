using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Pipeline.Model.Tokenization;

/// <summary>
/// Hugging Face <c>tokenizer.json</c> for SentencePiece-style BPE (Llama 2's layout): a BPE model
/// with vocab, merges and byte_fallback, a normaliser that prepends '▁' and replaces ' ' with '▁'
/// (or the newer Metaspace pre-tokenizer doing the same). Byte-level files (GPT-2's layout) are
/// handed to <see cref="ByteLevelTokenizerJson"/>.
/// </summary>
public static partial class HfTokenizerJson
{
    [GeneratedRegex("^<0x[0-9A-F]{2}>$")]
    private static partial Regex BytePiece();

    public static TextTokenizer Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"tokenizer.json not found: {path}", path);
        JsonNode root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path)) ?? throw new InvalidDataException("empty file");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path}: not valid JSON ({ex.Message})", ex);
        }
        var model = root["model"] ?? throw new InvalidDataException($"{path}: no \"model\" section");
        var type = model["type"]?.GetValue<string>();
        if (type != "BPE") throw new NotSupportedException($"{path}: tokenizer model type '{type}' is not supported (only BPE)");
        if (ByteLevelTokenizerJson.Describes(root)) return ByteLevelTokenizerJson.Load(path, root);

        var vocab = model["vocab"]?.AsObject() ?? throw new InvalidDataException($"{path}: BPE model has no vocab");
        var size = vocab.Select(kv => kv.Value!.GetValue<int>()).DefaultIfEmpty(-1).Max() + 1;
        var texts = new string?[size];
        foreach (var (token, id) in vocab) texts[id!.GetValue<int>()] = token;
        var special = new HashSet<int>();
        foreach (var added in root["added_tokens"]?.AsArray() ?? [])
        {
            var id = added!["id"]!.GetValue<int>();
            if (id >= texts.Length) Array.Resize(ref texts, id + 1);
            texts[id] = added["content"]!.GetValue<string>();
            if (added["special"]?.GetValue<bool>() ?? false) special.Add(id);
        }
        var missing = Enumerable.Range(0, texts.Length).Where(i => texts[i] is null).Take(5).ToList();
        if (missing.Count > 0) throw new InvalidDataException($"{path}: vocabulary has no token for ids {string.Join(", ", missing)}");

        var unkToken = model["unk_token"]?.GetValue<string>();
        var pieces = texts.Select((t, i) => new Piece(t!, 0, special.Contains(i) ? PieceType.Control
            : t == unkToken ? PieceType.Unknown
            : BytePiece().IsMatch(t!) ? PieceType.Byte : PieceType.Normal)).ToList();
        var merges = (model["merges"]?.AsArray() ?? []).Select(m => ParseMerge(path, m!)).ToList();

        int? Find(string token) => texts.Select((t, i) => (t, i)).Where(x => x.t == token).Select(x => (int?)x.i).FirstOrDefault();
        var options = new SentencePieceOptions(
            AddDummyPrefix: HasDummyPrefix(root),
            RemoveExtraWhitespaces: false,
            ByteFallback: model["byte_fallback"]?.GetValue<bool>() ?? false,
            UnkId: unkToken is null ? 0 : Find(unkToken) ?? 0,
            BosId: Find("<s>"),
            EosId: Find("</s>"));
        return new SentencePieceBpeTokenizer(pieces, options, merges);
    }

    internal static (string, string) ParseMerge(string path, JsonNode m)
    {
        if (m is JsonArray a && a.Count == 2) return (a[0]!.GetValue<string>(), a[1]!.GetValue<string>());
        var s = m.GetValue<string>();
        var space = s.IndexOf(' ');
        if (space <= 0) throw new InvalidDataException($"{path}: malformed merge '{s}'");
        return (s[..space], s[(space + 1)..]);
    }

    private static bool HasDummyPrefix(JsonNode root)
    {
        var normalizer = root["normalizer"]?.ToJsonString() ?? "";
        if (normalizer.Contains("\"Prepend\"", StringComparison.Ordinal)) return true;
        var pre = root["pre_tokenizer"];
        if (pre?["type"]?.GetValue<string>() == "Metaspace")
        {
            var scheme = pre["prepend_scheme"]?.GetValue<string>();
            return scheme is null ? pre["add_prefix_space"]?.GetValue<bool>() ?? true : scheme != "never";
        }
        return false;
    }

    /// <summary>
    /// Writes the tokenizer as Hugging Face's LlamaConverter does: merges derived from the vocabulary
    /// (every split of a piece into two known pieces), ordered by the merged piece's score.
    /// </summary>
    public static void Write(SentencePieceBpeTokenizer tokenizer, string path)
    {
        var pieces = tokenizer.Pieces;
        var o = tokenizer.Options;
        var vocab = new JsonObject();
        for (var i = 0; i < pieces.Count; i++) vocab[pieces[i].Text] = i;
        var merges = new JsonArray();
        foreach (var (l, r) in DeriveMerges(tokenizer)) merges.Add(new JsonArray(l, r));
        var added = new JsonArray();
        for (var i = 0; i < pieces.Count; i++)
            if (pieces[i].Type is PieceType.Control or PieceType.Unknown)
                added.Add(new JsonObject
                {
                    ["id"] = i, ["content"] = pieces[i].Text, ["single_word"] = false, ["lstrip"] = false,
                    ["rstrip"] = false, ["normalized"] = false, ["special"] = true,
                });
        var normalizers = new JsonArray();
        if (o.AddDummyPrefix) normalizers.Add(new JsonObject { ["type"] = "Prepend", ["prepend"] = "\u2581" });
        normalizers.Add(new JsonObject { ["type"] = "Replace", ["pattern"] = new JsonObject { ["String"] = " " }, ["content"] = "\u2581" });
        var decoders = new JsonArray
        {
            new JsonObject { ["type"] = "Replace", ["pattern"] = new JsonObject { ["String"] = "\u2581" }, ["content"] = " " },
            new JsonObject { ["type"] = "ByteFallback" },
            new JsonObject { ["type"] = "Fuse" },
        };
        if (o.AddDummyPrefix) decoders.Add(new JsonObject { ["type"] = "Strip", ["content"] = " ", ["start"] = 1, ["stop"] = 0 });
        var root = new JsonObject
        {
            ["version"] = "1.0",
            ["truncation"] = null,
            ["padding"] = null,
            ["added_tokens"] = added,
            ["normalizer"] = new JsonObject { ["type"] = "Sequence", ["normalizers"] = normalizers },
            ["pre_tokenizer"] = null,
            ["post_processor"] = null,
            ["decoder"] = new JsonObject { ["type"] = "Sequence", ["decoders"] = decoders },
            ["model"] = new JsonObject
            {
                ["type"] = "BPE", ["dropout"] = null, ["unk_token"] = pieces[o.UnkId].Text,
                ["continuing_subword_prefix"] = null, ["end_of_word_suffix"] = null, ["fuse_unk"] = true,
                ["byte_fallback"] = o.ByteFallback, ["ignore_merges"] = false, ["vocab"] = vocab, ["merges"] = merges,
            },
        };
        File.WriteAllText(path, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    private static IEnumerable<(string, string)> DeriveMerges(SentencePieceBpeTokenizer tokenizer)
    {
        var pieces = tokenizer.Pieces;
        var merges = new List<(string L, string R, float Score, int Id, int LId, int RId)>();
        for (var id = 0; id < pieces.Count; id++)
        {
            var p = pieces[id];
            if (p.Type is not (PieceType.Normal or PieceType.UserDefined)) continue;
            for (var cut = 1; cut < p.Text.Length; cut++)
            {
                if (char.IsLowSurrogate(p.Text[cut])) continue;
                var (l, r) = (p.Text[..cut], p.Text[cut..]);
                if (tokenizer.TokenToId(l) is int li && tokenizer.TokenToId(r) is int ri)
                    merges.Add((l, r, p.Score, id, li, ri));
            }
        }
        return merges.OrderByDescending(m => m.Score).ThenBy(m => m.Id).ThenBy(m => m.LId).ThenBy(m => m.RId).Select(m => (m.L, m.R));
    }
}
