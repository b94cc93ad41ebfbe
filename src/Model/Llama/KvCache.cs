using static TorchSharp.torch;

namespace Pipeline.Model.Llama;

/// <summary>
/// Pre-allocated key/value cache. It stores only the KV heads (before GQA repetition), so a model
/// with few KV heads needs proportionally less memory; repetition happens per step in attention.
/// </summary>
public sealed class KvCache : IDisposable
{
    private readonly Tensor[] keys;
    private readonly Tensor[] values;

    public KvCache(LlamaConfig config, long batch, int capacity, ScalarType dtype, Device device)
    {
        Capacity = capacity;
        keys = new Tensor[config.NumHiddenLayers];
        values = new Tensor[config.NumHiddenLayers];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = zeros([batch, config.KeyValueHeads, capacity, config.HeadDim], dtype, device);
            values[i] = zeros([batch, config.KeyValueHeads, capacity, config.HeadDim], dtype, device);
        }
    }

    public int Capacity { get; }

    /// <summary>Tokens already stored (the positions before the current forward call).</summary>
    public int Length { get; private set; }

    /// <summary>Writes this step's K/V for one layer and returns views over everything cached so far.</summary>
    internal (Tensor Keys, Tensor Values) Append(int layer, Tensor k, Tensor v)
    {
        var t = (int)k.shape[2];
        if (Length + t > Capacity)
            throw new InvalidOperationException($"KV cache full: {Length} + {t} tokens exceed capacity {Capacity}");
        using (no_grad())
        {
            keys[layer].narrow(2, Length, t).copy_(k);
            values[layer].narrow(2, Length, t).copy_(v);
        }
        return (keys[layer].narrow(2, 0, Length + t), values[layer].narrow(2, 0, Length + t));
    }

    /// <summary>Layer <paramref name="layer"/>'s keys, [batch, KV heads, capacity, head dim] (contiguous).</summary>
    internal Tensor KeysOf(int layer) => keys[layer];

    /// <summary>Layer <paramref name="layer"/>'s values, laid out like <see cref="KeysOf"/>.</summary>
    internal Tensor ValuesOf(int layer) => values[layer];

    /// <summary>Called by the model once every layer has appended this step's tokens.</summary>
    internal void Advance(int tokens) => Length += tokens;

    public void Dispose()
    {
        foreach (var t in keys) t.Dispose();
        foreach (var t in values) t.Dispose();
    }
}
