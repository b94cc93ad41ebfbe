using Pipeline.Model.Kernels;

namespace Pipeline.Model.Tests;

/// <summary>
/// <see cref="DecodeMath.Rotate"/> (one head of the decode step, rotate-half layout) against the
/// rotation written out per pair in float arithmetic. Head sizes of 32 and more take the 16-pair
/// vector loop (80: two blocks and an 8-pair scalar tail); it multiplies and adds as the scalar loop
/// does, so the bits must be equal, not just close.
/// </summary>
public sealed unsafe class DecodeRotateTests
{
    [Theory]
    [InlineData(8)]
    [InlineData(32)]
    [InlineData(64)]
    [InlineData(80)]
    [InlineData(128)]
    public void Every_head_size_rotates_each_pair_exactly_as_written(int headDim)
    {
        var random = new Random(headDim);
        float Next() => (float)(random.NextDouble() * 4 - 2);
        var head = Enumerable.Range(0, headDim).Select(_ => Next()).ToArray();
        var cos = Enumerable.Range(0, headDim).Select(_ => Next()).ToArray();
        var signedSin = Enumerable.Range(0, headDim).Select(_ => Next()).ToArray();
        var half = headDim / 2;
        var expected = new float[headDim];
        for (var j = 0; j < half; j++)
        {
            expected[j] = head[j] * cos[j] + head[j + half] * signedSin[j];
            expected[j + half] = head[j + half] * cos[j + half] + head[j] * signedSin[j + half];
        }

        fixed (float* h = head, c = cos, s = signedSin) DecodeMath.Rotate(h, c, s, headDim);

        Assert.Equal(expected, head);
    }
}
