using System.Text.Json;

namespace Pipeline.Model.Tokenization;

/// <summary>
/// Resolves what a user points at: "gpt2", a <c>tokenizer.json</c>, a <c>tokenizer.model</c>, or a
/// model folder holding one of them (tokenizer.json preferred, as transformers' fast tokenizers do;
/// a GPT-2 folder therefore loads from its HF files, and only folders written before those existed
/// fall back to the <c>tokenizer_config.json</c> marker).
/// </summary>
public static class TokenizerLoader
{
    public static TextTokenizer Load(string pathOrName)
    {
        if (pathOrName is "gpt2" or Gpt2Tokenizer.Marker) return new Gpt2Tokenizer();
        if (File.Exists(pathOrName))
        {
            return Path.GetFileName(pathOrName) switch
            {
                var f when f.EndsWith(".json", StringComparison.OrdinalIgnoreCase) => HfTokenizerJson.Load(pathOrName),
                var f when f.EndsWith(".model", StringComparison.OrdinalIgnoreCase) => SentencePieceModelReader.Load(pathOrName),
                _ => throw new NotSupportedException($"{pathOrName}: unknown tokenizer file type (expected tokenizer.json or tokenizer.model)"),
            };
        }
        if (!Directory.Exists(pathOrName)) throw new FileNotFoundException($"No tokenizer at '{pathOrName}' (expected 'gpt2', a file or a model folder)", pathOrName);
        var json = Path.Combine(pathOrName, "tokenizer.json");
        if (File.Exists(json)) return HfTokenizerJson.Load(json);
        var model = Path.Combine(pathOrName, "tokenizer.model");
        if (File.Exists(model)) return SentencePieceModelReader.Load(model);
        var config = Path.Combine(pathOrName, "tokenizer_config.json");
        if (File.Exists(config) && IsGpt2Marker(config)) return new Gpt2Tokenizer();
        throw new FileNotFoundException($"{pathOrName}: no tokenizer.json, tokenizer.model or GPT-2 tokenizer_config.json in the folder");
    }

    private static bool IsGpt2Marker(string configPath)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(configPath));
        return doc.RootElement.TryGetProperty("pipeline_tokenizer", out var v) && v.GetString() == Gpt2Tokenizer.Marker;
    }
}
