using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pipeline.Model.Tokenization;

/// <summary>
/// Hugging Face <c>tokenizer.json</c> for byte-level BPE in GPT-2's layout: no normaliser, a
/// ByteLevel pre-tokenizer with GPT-2's regex, a BPE model over byte characters, ByteLevel decoder.
/// Layouts that differ in ways that change ids (a Split regex as Llama 3 has, a normaliser,
/// subword prefixes) are refused rather than encoded differently from transformers.
/// </summary>
public static class ByteLevelTokenizerJson
{
    internal static readonly JsonSerializerOptions Pretty = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>True when the file says byte-level (its pre-tokenizer or decoder is, or contains, ByteLevel).</summary>
    public static bool Describes(JsonNode root) =>
        (root["pre_tokenizer"]?.ToJsonString() ?? "").Contains("\"ByteLevel\"", StringComparison.Ordinal)
        || (root["decoder"]?.ToJsonString() ?? "").Contains("\"ByteLevel\"", StringComparison.Ordinal);

    public static ByteLevelBpeTokenizer Load(string path, JsonNode root)
    {
        var pre = root["pre_tokenizer"];
        if (pre?["type"]?.GetValue<string>() != "ByteLevel")
            throw new NotSupportedException($"{path}: byte-level tokenizer.json with pre_tokenizer {pre?["type"]?.GetValue<string>() ?? "null"} is not supported (only GPT-2's plain ByteLevel)");
        if (!(pre["use_regex"]?.GetValue<bool>() ?? true))
            throw new NotSupportedException($"{path}: ByteLevel pre_tokenizer with use_regex=false is not supported");
        if (root["normalizer"] is { } normalizer)
            throw new NotSupportedException($"{path}: byte-level tokenizer.json with normalizer {normalizer["type"]} is not supported");
        var model = root["model"]!;
        if (model["continuing_subword_prefix"]?.GetValue<string>() is { Length: > 0 } || model["end_of_word_suffix"]?.GetValue<string>() is { Length: > 0 })
            throw new NotSupportedException($"{path}: BPE continuing_subword_prefix/end_of_word_suffix are not supported for byte-level BPE");

        var vocab = model["vocab"]?.AsObject() ?? throw new InvalidDataException($"{path}: BPE model has no vocab");
        var tokens = new Dictionary<int, string>();
        foreach (var (token, id) in vocab) tokens[id!.GetValue<int>()] = token;
        var special = new HashSet<int>();
        foreach (var added in root["added_tokens"]?.AsArray() ?? [])
        {
            var id = added!["id"]!.GetValue<int>();
            tokens[id] = added["content"]!.GetValue<string>();
            if (added["special"]?.GetValue<bool>() ?? false) special.Add(id);
        }
        var size = tokens.Count == 0 ? 0 : tokens.Keys.Max() + 1;
        var missing = Enumerable.Range(0, size).Where(i => !tokens.ContainsKey(i)).Take(5).ToList();
        if (missing.Count > 0) throw new InvalidDataException($"{path}: vocabulary has no token for ids {string.Join(", ", missing)}");
        var byId = Enumerable.Range(0, size).Select(i => tokens[i]).ToList();
        var merges = (model["merges"]?.AsArray() ?? []).Select(m => HfTokenizerJson.ParseMerge(path, m!)).ToList();

        int? Special(params string[] candidates) => candidates.Select(c => byId.IndexOf(c)).Where(i => i >= 0 && special.Contains(i)).Select(i => (int?)i).FirstOrDefault();
        return new ByteLevelBpeTokenizer(new ByteLevelBpeVocabulary(byId, merges, special,
            BosId: Special(BundledGpt2Vocabulary.EndOfTextToken, "<s>"),
            EosId: Special(BundledGpt2Vocabulary.EndOfTextToken, "</s>"),
            AddPrefixSpace: pre["add_prefix_space"]?.GetValue<bool>() ?? false));
    }

    /// <summary>Writes the layout of Hugging Face's own gpt2 tokenizer.json (merges as "a b" strings, which every tokenizers version reads).</summary>
    public static void Write(ByteLevelBpeVocabulary vocabulary, string path)
    {
        var vocab = new JsonObject();
        for (var id = 0; id < vocabulary.Tokens.Count; id++) vocab[vocabulary.Tokens[id]] = id;
        var merges = new JsonArray();
        foreach (var (left, right) in vocabulary.Merges) merges.Add(left + " " + right);
        var added = new JsonArray();
        foreach (var id in vocabulary.SpecialIds.Order())
            added.Add(new JsonObject
            {
                ["id"] = id, ["content"] = vocabulary.Tokens[id], ["single_word"] = false, ["lstrip"] = false,
                ["rstrip"] = false, ["normalized"] = true, ["special"] = true,
            });
        var root = new JsonObject
        {
            ["version"] = "1.0",
            ["truncation"] = null,
            ["padding"] = null,
            ["added_tokens"] = added,
            ["normalizer"] = null,
            ["pre_tokenizer"] = ByteLevel(vocabulary.AddPrefixSpace, trimOffsets: true),
            // Neither flag changes ids; trim_offsets=false keeps offsets covering the leading space, as gpt2's file does.
            ["post_processor"] = ByteLevel(addPrefixSpace: true, trimOffsets: false),
            ["decoder"] = ByteLevel(addPrefixSpace: true, trimOffsets: true),
            ["model"] = new JsonObject
            {
                ["type"] = "BPE", ["dropout"] = null, ["unk_token"] = null, ["continuing_subword_prefix"] = "",
                ["end_of_word_suffix"] = "", ["fuse_unk"] = false, ["byte_fallback"] = false, ["vocab"] = vocab, ["merges"] = merges,
            },
        };
        File.WriteAllText(path, root.ToJsonString(Pretty));
    }

    private static JsonObject ByteLevel(bool addPrefixSpace, bool trimOffsets) => new()
    {
        ["type"] = "ByteLevel", ["add_prefix_space"] = addPrefixSpace, ["trim_offsets"] = trimOffsets, ["use_regex"] = true,
    };
}
