using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pipeline.Model.Tokenization;

/// <summary>
/// Writes a byte-level BPE tokenizer as transformers' GPT-2 tokenizer files: vocab.json and
/// merges.txt (the slow GPT2Tokenizer), tokenizer.json (the fast one) and tokenizer_config.json.
/// </summary>
public static class ByteLevelBpeFiles
{
    public const string VocabFile = "vocab.json";
    public const string MergesFile = "merges.txt";
    public const string TokenizerJsonFile = "tokenizer.json";
    public const string ConfigFile = "tokenizer_config.json";

    public static void Write(string folder, ByteLevelBpeVocabulary vocabulary, IReadOnlyDictionary<string, string>? extraConfig = null)
    {
        Directory.CreateDirectory(folder);
        var vocab = new JsonObject();
        for (var id = 0; id < vocabulary.Tokens.Count; id++) vocab[vocabulary.Tokens[id]] = id;
        File.WriteAllText(Path.Combine(folder, VocabFile), vocab.ToJsonString(ByteLevelTokenizerJson.Pretty));

        var merges = new StringBuilder("#version: 0.2\n");
        foreach (var (left, right) in vocabulary.Merges) merges.Append(left).Append(' ').Append(right).Append('\n');
        File.WriteAllText(Path.Combine(folder, MergesFile), merges.ToString());

        ByteLevelTokenizerJson.Write(vocabulary, Path.Combine(folder, TokenizerJsonFile));

        string? Token(int? id) => id is int i ? vocabulary.Tokens[i] : null;
        var config = new JsonObject
        {
            ["tokenizer_class"] = "GPT2Tokenizer",
            ["add_prefix_space"] = vocabulary.AddPrefixSpace,
            ["bos_token"] = Token(vocabulary.BosId),
            ["eos_token"] = Token(vocabulary.EosId),
            // GPT-2 has no unknown token (every byte is in the vocabulary); transformers' GPT2Tokenizer names EOS.
            ["unk_token"] = Token(vocabulary.EosId),
            // Otherwise older transformers decode " ." as "." and their text differs from ours.
            ["clean_up_tokenization_spaces"] = false,
        };
        foreach (var (key, value) in extraConfig ?? new Dictionary<string, string>()) config[key] = value;
        File.WriteAllText(Path.Combine(folder, ConfigFile), config.ToJsonString(ByteLevelTokenizerJson.Pretty));
    }
}
