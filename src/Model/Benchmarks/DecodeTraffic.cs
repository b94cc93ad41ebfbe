using Pipeline.Model.Llama;

namespace Pipeline.Model.Benchmarks;

/// <summary>
/// The bytes a float32 decode step reads: every matmul weight once (the LM head included; of the
/// embedding only the new tokens' rows, which is nothing), plus each sequence's cached keys and
/// values. Divided into a step's time it gives the memory rate the step achieved, to set beside
/// <see cref="MemoryReadBandwidth"/>.
/// </summary>
public static class DecodeTraffic
{
    /// <summary>
    /// Weights that take part in a matmul: all but an untied embedding, which is only looked up (a tied
    /// one is also the LM head). The training FLOPs count these too.
    /// </summary>
    public static long MatmulWeights(LlamaConfig config) =>
        config.ParameterCount() - (config.TieWordEmbeddings ? 0 : (long)config.VocabSize * config.HiddenSize);

    /// <summary>Matmul weights of <paramref name="config"/> in float32; a tied LM head is the embedding, read once.</summary>
    public static long WeightBytes(LlamaConfig config) => sizeof(float) * MatmulWeights(config);

    /// <summary>One sequence's float32 keys and values over <paramref name="positions"/> cached positions, all layers.</summary>
    public static double CacheBytes(LlamaConfig config, double positions) =>
        2.0 * sizeof(float) * config.NumHiddenLayers * config.KeyValueHeads * config.HeadDim * positions;

    /// <summary>
    /// Bytes per step of <paramref name="rows"/> sequences generating <paramref name="newTokens"/> after a
    /// <paramref name="promptTokens"/>-token prompt: the cache holds prompt + new/2 positions on average.
    /// </summary>
    public static double StepBytes(LlamaConfig config, int rows, int promptTokens, int newTokens) =>
        WeightBytes(config) + rows * CacheBytes(config, promptTokens + newTokens / 2.0);
}
