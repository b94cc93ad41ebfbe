using static TorchSharp.torch;

namespace Pipeline.Model.Llama;

/// <summary>
/// Rotary position embedding in Hugging Face's "rotate-half" layout: dimension i pairs with
/// i + d/2 (not the interleaved pairs of Meta's original code), because HF checkpoints' q/k
/// projection rows are permuted for this convention.
/// </summary>
public static class Rotary
{
    /// <summary>inv_freq[i] = theta^(-2i/d), i = 0 .. d/2-1.</summary>
    public static Tensor InverseFrequencies(int headDim, double theta)
    {
        var exponents = arange(0, headDim, 2, dtype: ScalarType.Int64).to_type(ScalarType.Float32) / headDim;
        return 1.0f / pow(theta, exponents);
    }

    /// <summary>The config's inv_freq (rope_scaling applied) for positions up to <paramref name="sequenceLength"/> - 1.</summary>
    public static Tensor InverseFrequencies(LlamaConfig config, int sequenceLength) =>
        config.RopeScalingSpec is { } scaling
            ? scaling.InverseFrequencies(config.HeadDim, config.RopeTheta, config.MaxPositionEmbeddings, sequenceLength)
            : InverseFrequencies(config.HeadDim, config.RopeTheta);

    /// <summary>cos/sin tables of shape [maxPositions, headDim], unscaled.</summary>
    public static (Tensor Cos, Tensor Sin) Tables(int headDim, double theta, int maxPositions)
    {
        using var inv = InverseFrequencies(headDim, theta);
        return Tables(inv, maxPositions);
    }

    /// <summary>The config's cos/sin tables for positions 0 .. <paramref name="positions"/> - 1 (dynamic scaling depends on that length).</summary>
    public static (Tensor Cos, Tensor Sin) Tables(LlamaConfig config, int positions)
    {
        using var inv = InverseFrequencies(config, positions);
        return Tables(inv, positions);
    }

    /// <summary>cos/sin of position * inv_freq, shape [positions, 2 * inv.Length] (each frequency twice: rotate-half layout).</summary>
    public static (Tensor Cos, Tensor Sin) Tables(Tensor inv, int positions)
    {
        using var scope = NewDisposeScope();
        var t = arange(positions, dtype: ScalarType.Float32, device: inv.device);
        var freqs = outer(t, inv);
        var emb = cat([freqs, freqs], -1);
        return (emb.cos().MoveToOuterDisposeScope(), emb.sin().MoveToOuterDisposeScope());
    }

    public static Tensor RotateHalf(Tensor x)
    {
        var half = x.shape[^1] / 2;
        var x1 = x.narrow(-1, 0, half);
        var x2 = x.narrow(-1, half, half);
        return cat([-x2, x1], -1);
    }

    /// <summary>x: [B, heads, T, D]; cos/sin: [B, 1, T, D] (already gathered at the positions).</summary>
    public static Tensor Apply(Tensor x, Tensor cos, Tensor sin) => x * cos + RotateHalf(x) * sin;

    /// <summary>sin with its first half negated: rotate_half(x) * sin == roll(x, d/2) * signed sin.</summary>
    public static Tensor SignedSin(Tensor sin)
    {
        var half = sin.shape[^1] / 2;
        return cat([-sin.narrow(-1, 0, half), sin.narrow(-1, half, half)], -1);
    }

    /// <summary>
    /// The same rotation as <see cref="Apply"/> in three native calls instead of seven (rolling x by
    /// half a head gives [x2, x1]; the signed sin supplies the minus). While decoding every op is a
    /// native call on a tiny tensor, so the op count, not the arithmetic, sets the speed.
    /// </summary>
    public static Tensor ApplySigned(Tensor x, Tensor cos, Tensor signedSin) =>
        addcmul(x * cos, x.roll(x.shape[^1] / 2, -1), signedSin, 1);
}
