using System.Text.Json;
using Microsoft.ML.Tokenizers;

namespace Pipeline.Model.Tokenization;

/// <summary>
/// GPT-2 byte-level BPE from Microsoft.ML.Tokenizers' bundled data (no download needed), used by
/// the demo. GPT-2 has one special token, &lt;|endoftext|&gt; (50256), which serves as BOS and EOS.
/// </summary>
public sealed class Gpt2Tokenizer : TextTokenizer
{
    public const string Marker = "tiktoken:gpt2";
    private const int EndOfText = 50256;
    private readonly TiktokenTokenizer inner = TiktokenTokenizer.CreateForModel("gpt2");

    public override string Kind => "gpt2";
    public override int VocabSize => 50257;
    public override int? BosId => EndOfText;
    public override int? EosId => EndOfText;

    public override IReadOnlyList<int> Encode(string text, bool addBos = false, bool continuation = false)
    {
        var ids = inner.EncodeToIds(text);
        if (!addBos) return ids;
        var result = new List<int>(ids.Count + 1) { EndOfText };
        result.AddRange(ids);
        return result;
    }

    /// <summary>GPT-2 splits whitespace runs depending on what follows, so the joined text is encoded
    /// once and each token is attributed to the piece where it starts.</summary>
    public override IReadOnlyList<(int Id, int Segment)> EncodeSegments(IReadOnlyList<string> segments)
    {
        var starts = new int[segments.Count];
        for (var i = 1; i < segments.Count; i++) starts[i] = starts[i - 1] + segments[i - 1].Length;
        var tokens = inner.EncodeToTokens(string.Concat(segments), out _);
        return tokens.Select(t =>
        {
            var start = t.Offset.Start.Value;
            var segment = Array.FindLastIndex(starts, s => s <= start);
            return (t.Id, Math.Max(segment, 0));
        }).ToList();
    }

    public override string Decode(IEnumerable<int> ids) => inner.Decode(ids.Where(i => i != EndOfText));

    public override string IdToToken(int id) => id == EndOfText ? "<|endoftext|>" : inner.Decode([id]);

    /// <summary>GPT-2's files are bundled in the package, so the folder only records which tokenizer it is.</summary>
    public override void SaveTo(string folder)
    {
        var config = new Dictionary<string, object>
        {
            ["tokenizer_class"] = "GPT2Tokenizer",
            ["pipeline_tokenizer"] = Marker,
            ["bos_token"] = "<|endoftext|>",
            ["eos_token"] = "<|endoftext|>",
        };
        File.WriteAllText(Path.Combine(folder, "tokenizer_config.json"), JsonSerializer.Serialize(config, new JsonSerializerOptions { WriteIndented = true }));
    }
}
