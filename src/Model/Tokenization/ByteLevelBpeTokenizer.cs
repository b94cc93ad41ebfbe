using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace Pipeline.Model.Tokenization;

/// <summary>
/// Byte-level BPE as Hugging Face's GPT-2 tokenizer.json describes it (ByteLevel pre-tokenizer with
/// GPT-2's split regex, BPE over <see cref="ByteLevelAlphabet"/> characters, ByteLevel decoder).
/// Encoding is Microsoft.ML.Tokenizers' BpeTokenizer in byte-level mode; this class adds the
/// pipeline's BOS/EOS handling and segment attribution.
/// </summary>
public sealed partial class ByteLevelBpeTokenizer : TextTokenizer
{
    private readonly BpeTokenizer inner;

    public ByteLevelBpeTokenizer(ByteLevelBpeVocabulary vocabulary)
    {
        Vocabulary = vocabulary;
        var special = vocabulary.SpecialTokens();
        inner = BpeTokenizer.Create(new BpeOptions(vocabulary.Tokens.Select((t, id) => KeyValuePair.Create(t, id)))
        {
            Merges = vocabulary.Merges.Select(m => m.Left + " " + m.Right),
            ByteLevel = true,
            PreTokenizer = new RegexPreTokenizer(Gpt2Split(), special),
            SpecialTokens = special,
        });
    }

    /// <summary>The regex of tokenizers' ByteLevel pre-tokenizer (use_regex = true), identical to tiktoken's r50k/gpt2.</summary>
    [GeneratedRegex(@"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+")]
    private static partial Regex Gpt2Split();

    public ByteLevelBpeVocabulary Vocabulary { get; }

    public override string Kind => "hf-byte-bpe";
    public override int VocabSize => Vocabulary.Tokens.Count;
    public override int? BosId => Vocabulary.BosId;
    public override int? EosId => Vocabulary.EosId;

    public override IReadOnlyList<int> Encode(string text, bool addBos = false, bool continuation = false)
    {
        var ids = inner.EncodeToIds(WithPrefixSpace(text, continuation));
        if (!addBos || BosId is not int bos) return ids;
        var result = new List<int>(ids.Count + 1) { bos };
        result.AddRange(ids);
        return result;
    }

    public override IReadOnlyList<(int Id, int Segment)> EncodeSegments(IReadOnlyList<string> segments)
    {
        var joined = string.Concat(segments);
        var prepared = WithPrefixSpace(joined, continuation: false);
        var tokens = inner.EncodeToTokens(prepared, out _);
        return TokenSegments.Attribute(tokens, segments, prepared.Length - joined.Length);
    }

    public override string Decode(IEnumerable<int> ids) => inner.Decode(ids, considerSpecialTokens: false);

    public override string IdToToken(int id) => Vocabulary.Tokens[id];

    public override void SaveTo(string folder) => ByteLevelBpeFiles.Write(folder, Vocabulary);

    private string WithPrefixSpace(string text, bool continuation) =>
        Vocabulary.AddPrefixSpace && !continuation && !text.StartsWith(' ') ? " " + text : text;
}
