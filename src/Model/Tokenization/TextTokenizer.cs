namespace Pipeline.Model.Tokenization;

/// <summary>
/// The tokenizer surface every component uses: ids in, ids out, plus the special ids the chat
/// template and the trainers need.
/// </summary>
public abstract class TextTokenizer
{
    /// <summary>Short description ("gpt2", "sentencepiece-bpe").</summary>
    public abstract string Kind { get; }

    public abstract int VocabSize { get; }

    public abstract int? BosId { get; }

    public abstract int? EosId { get; }

    /// <summary>Encodes text. <paramref name="continuation"/> = the text follows other text in the
    /// same sequence, so SentencePiece's dummy-prefix space is not added.</summary>
    public abstract IReadOnlyList<int> Encode(string text, bool addBos = false, bool continuation = false);

    /// <summary>
    /// Encodes consecutive pieces of one text and says which piece each token came from. The
    /// default encodes each piece on its own (exact for SentencePiece, whose pieces never span the
    /// space before a word); tokenizers whose pre-tokenisation looks across pieces override it.
    /// </summary>
    public virtual IReadOnlyList<(int Id, int Segment)> EncodeSegments(IReadOnlyList<string> segments)
    {
        var result = new List<(int, int)>();
        for (var i = 0; i < segments.Count; i++)
            foreach (var id in Encode(segments[i], continuation: i > 0)) result.Add((id, i));
        return result;
    }

    /// <summary>Decodes ids, skipping BOS/EOS and other control tokens.</summary>
    public abstract string Decode(IEnumerable<int> ids);

    /// <summary>The vocabulary string of one id (for display: "▁the", "&lt;0x0A&gt;", "Ġthe").</summary>
    public abstract string IdToToken(int id);

    /// <summary>Writes the tokenizer's files into a model folder so it can be loaded again.</summary>
    public abstract void SaveTo(string folder);
}
