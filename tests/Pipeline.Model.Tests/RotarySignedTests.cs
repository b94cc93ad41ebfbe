using Pipeline.Model.Llama;
using static TorchSharp.torch;

namespace Pipeline.Model.Tests;

[Collection(TorchCollection.Name)]
public sealed class RotarySignedTests
{
    [Fact]
    public void Roll_with_signed_sin_equals_the_rotate_half_definition()
    {
        using var generator = new Generator(7, CPU);
        using var x = randn([2, 3, 5, 8], generator: generator);
        var (cos, sin) = Rotary.Tables(8, 10000.0, 5);
        using var c = cos.view(1, 1, 5, 8);
        using var s = sin.view(1, 1, 5, 8);

        using var reference = Rotary.Apply(x, c, s);
        using var fast = Rotary.ApplySigned(x, c, Rotary.SignedSin(s));

        Assert.True(Tiny.MaxAbsDiff(reference, fast) < 1e-6f);
        // Hand check of one pair: position 1, frequency index 0 (theta^0 = 1 rad per position): (x0, x4) rotated by 1 rad.
        var (x0, x4) = (x[0, 0, 1, 0].item<float>(), x[0, 0, 1, 4].item<float>());
        Assert.Equal(x0 * MathF.Cos(1) - x4 * MathF.Sin(1), fast[0, 0, 1, 0].item<float>(), 5);
        Assert.Equal(x4 * MathF.Cos(1) + x0 * MathF.Sin(1), fast[0, 0, 1, 4].item<float>(), 5);
    }
}
