using Microsoft.ML.Tokenizers;

namespace Pipeline.Model.Tokenization;

/// <summary>
/// GPT-2 byte-level BPE from Microsoft.ML.Tokenizers' bundled data (no download needed), used by
/// the demo. GPT-2 has one special token, &lt;|endoftext|&gt; (50256), which serves as BOS and EOS.
/// </summary>
public sealed class Gpt2Tokenizer : TextTokenizer
{
    public const string Marker = "tiktoken:gpt2";
    private const int EndOfText = BundledGpt2Vocabulary.EndOfText;
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

    public override IReadOnlyList<(int Id, int Segment)> EncodeSegments(IReadOnlyList<string> segments) =>
        TokenSegments.Attribute(inner.EncodeToTokens(string.Concat(segments), out _), segments);

    public override string Decode(IEnumerable<int> ids) => inner.Decode(ids.Where(i => i != EndOfText));

    public override string IdToToken(int id) => id == EndOfText ? "<|endoftext|>" : inner.Decode([id]);

    /// <summary>
    /// Writes Hugging Face's GPT-2 tokenizer files (vocab.json, merges.txt, tokenizer.json,
    /// tokenizer_config.json) so transformers loads the folder; the config also keeps the marker
    /// that folders written before those files existed relied on.
    /// </summary>
    public override void SaveTo(string folder) =>
        ByteLevelBpeFiles.Write(folder, BundledGpt2Vocabulary.Vocabulary, new Dictionary<string, string> { ["pipeline_tokenizer"] = Marker });
}
