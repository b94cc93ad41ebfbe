using Pipeline.Model.Kernels;

namespace Pipeline.Model.Tests;

/// <summary>
/// <see cref="DecodeMath.Attend"/> (one query head against cached keys and values) against the
/// softmax-weighted sum computed in double precision. The tiny test models' heads have 8 dimensions,
/// which take the plain loops; these head sizes take the 512-bit ones: 16 and 32 the one-slice sum,
/// 64 and 128 the four-slice sum, and position counts around multiples of four the four-position scores.
/// </summary>
public sealed unsafe class DecodeAttentionTests
{
    [Theory]
    [InlineData(16)]
    [InlineData(32)]
    [InlineData(64)]
    [InlineData(128)]
    [InlineData(8)]
    public void Every_head_size_and_position_count_gives_the_softmax_weighted_sum(int headDim)
    {
        var random = new Random(headDim);
        foreach (var count in new[] { 1, 2, 3, 4, 5, 7, 8, 9, 63, 144 })
        {
            var query = Floats(random, headDim, 1.5);
            var keys = Floats(random, count * headDim, 1.5);
            var values = Floats(random, count * headDim, 1);
            var scale = 1f / MathF.Sqrt(headDim);
            var scores = new float[count];
            var output = new float[headDim];
            fixed (float* q = query, k = keys, v = values, s = scores, o = output)
                DecodeMath.Attend(q, k, v, count, headDim, scale, s, o);

            var expected = Reference(query, keys, values, count, headDim, scale);
            for (var c = 0; c < headDim; c++)
                Assert.True(Math.Abs(expected[c] - output[c]) <= 1e-5 * (1 + Math.Abs(expected[c])),
                    $"head {headDim}, {count} positions, dimension {c}: {output[c]} != {expected[c]}");
        }
    }

    private static float[] Floats(Random random, int count, double spread) =>
        Enumerable.Range(0, count).Select(_ => (float)((random.NextDouble() * 2 - 1) * spread)).ToArray();

    private static double[] Reference(float[] query, float[] keys, float[] values, int count, int headDim, float scale)
    {
        var logits = new double[count];
        for (var j = 0; j < count; j++)
        {
            for (var c = 0; c < headDim; c++) logits[j] += (double)query[c] * keys[j * headDim + c];
            logits[j] *= scale;
        }
        var max = logits.Max();
        var weights = logits.Select(l => Math.Exp(l - max)).ToArray();
        var total = weights.Sum();
        var output = new double[headDim];
        for (var j = 0; j < count; j++)
            for (var c = 0; c < headDim; c++) output[c] += weights[j] / total * values[j * headDim + c];
        return output;
    }
}
