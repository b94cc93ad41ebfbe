using System.Runtime.Intrinsics;
using Pipeline.Model.Kernels;

namespace Pipeline.Model.Tests;

/// <summary>The kernels' inlined e^x (<see cref="FastExp"/>) against double-precision Math.Exp.</summary>
public sealed class FastExpTests
{
    [Fact]
    public void Both_widths_are_within_a_few_ulp_of_exp_over_the_float_range()
    {
        var inputs = new List<float>();
        for (var x = -87.3f; x <= 88.3f; x += 0.0137f) inputs.Add(x);
        inputs.AddRange([0f, -0f, 1e-30f, -1e-30f, 1f, -1f, 0.5f, 88.37f, -87.33f]);
        while (inputs.Count % 16 != 0) inputs.Add(0.25f);
        var values = inputs.ToArray();
        var worst = 0.0;
        for (var i = 0; i < values.Length; i += 16)
        {
            var wide = FastExp.Exp(Vector512.Create(values.AsSpan(i, 16)));
            var low = FastExp.Exp(Vector256.Create(values.AsSpan(i, 8)));
            var high = FastExp.Exp(Vector256.Create(values.AsSpan(i + 8, 8)));
            for (var k = 0; k < 16; k++)
            {
                var expected = Math.Exp(values[i + k]);
                var narrow = k < 8 ? low[k] : high[k - 8];
                Assert.Equal(wide[k], narrow);
                worst = Math.Max(worst, Math.Abs(wide[k] - expected) / expected);
            }
        }
        // 2^-23 is one ulp at the top of a binade: within 3 ulp everywhere.
        Assert.True(worst <= 3 * Math.Pow(2, -23), $"worst relative error {worst:E3}");
    }

    [Fact]
    public void Extremes_saturate_to_finite_values_or_zero_and_nan_stays_nan()
    {
        float[] values = [float.NegativeInfinity, -1000f, -87.5f, float.PositiveInfinity, 1000f, float.NaN, 0f, 1f];
        var result = FastExp.Exp(Vector256.Create(values));
        Assert.Equal(0f, result[0]);
        Assert.Equal(0f, result[1]);
        Assert.Equal(0f, result[2]);
        Assert.True(float.IsFinite(result[3]) && result[3] > 1e38f, $"{result[3]}");
        Assert.True(float.IsFinite(result[4]) && result[4] > 1e38f, $"{result[4]}");
        Assert.True(float.IsNaN(result[5]));
        Assert.Equal(1f, result[6]);
        Assert.Equal(MathF.E, result[7], 6);
    }
}
