using Pipeline.Model.Llama;
using static TorchSharp.torch;

namespace Pipeline.Model.Tests;

/// <summary>The decode-time RMSNorm (layer_norm over [x, -x]) equals the plain one.</summary>
[Collection(TorchCollection.Name)]
public sealed class RmsNormPreparedTests
{
    [Theory]
    [InlineData(0.02)] // freshly initialised embeddings: mean(x^2) near eps, where eps matters
    [InlineData(1.0)]
    [InlineData(300.0)]
    public void Layer_norm_over_x_and_minus_x_gives_the_rms_norm(double scale)
    {
        using var norm = new RmsNorm(64, 1e-5);
        using (no_grad()) norm.Weight.copy_(rand(64) + 0.5);
        manual_seed(3);
        using var x = randn(3, 2, 64) * scale;
        using var plain = norm.forward(x);
        norm.PrepareInferenceWeights();
        using var prepared = norm.Forward(x, usePrepared: true);
        norm.DropInferenceWeights();
        var relative = ((plain - prepared).abs().max() / plain.abs().max()).item<float>();
        Assert.True(relative < 1e-5f, $"relative difference {relative}");
        // Without prepared weights it is the plain norm itself.
        using var fallback = norm.Forward(x, usePrepared: true);
        Assert.Equal(0f, Tiny.MaxAbsDiff(plain, fallback));
    }
}
