using Pipeline.Model.Tokenization;

namespace Pipeline.Model.Llama;

/// <summary>Ready-made configs sized for the 2-core demo machine.</summary>
public static class LlamaPresets
{
    /// <summary>
    /// A few-million-parameter Llama for the demo: 4 layers, hidden 128, GQA 4:2, tied embeddings
    /// (with GPT-2's 50k vocabulary an untied head would double the parameter count).
    /// </summary>
    public static LlamaConfig Tiny(TextTokenizer tokenizer, int contextLength = 256) => new()
    {
        HiddenSize = 128,
        IntermediateSize = 384,
        NumAttentionHeads = 4,
        NumKeyValueHeads = 2,
        NumHiddenLayers = 4,
        VocabSize = tokenizer.VocabSize,
        MaxPositionEmbeddings = contextLength,
        TieWordEmbeddings = true,
        BosTokenId = tokenizer.BosId,
        EosTokenId = tokenizer.EosId,
    };
}
