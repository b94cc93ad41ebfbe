using Pipeline.Model.Kernels;
using static TorchSharp.torch;

namespace Pipeline.Model.Tests;

/// <summary>The fused SwiGLU (one pass forward, one backward) against libtorch's silu and mul.</summary>
[Collection(TorchCollection.Name)]
public sealed class FusedSwiGluTests
{
    [Theory]
    [InlineData(ScalarType.Float32, 3, 700, 704)]  // ~1.5M elements: many chunks on both threads
    [InlineData(ScalarType.Float32, 1, 3, 13)]     // fewer elements than a vector, and a tail
    [InlineData(ScalarType.BFloat16, 2, 300, 352)]
    [InlineData(ScalarType.BFloat16, 1, 5, 11)]
    public void Forward_and_gradients_equal_libtorch(ScalarType dtype, int batch, int rows, int width)
    {
        using var scope = NewDisposeScope();
        var generator = new TorchSharp.torch.Generator(11);
        // Gate values from -12 to 12 cover sigmoid's flat tails as well as its middle.
        var gate = (randn(batch, rows, width, generator: generator) * 4).clamp(-12, 12).to_type(dtype).requires_grad_(true);
        var up = randn(batch, rows, width, generator: generator).to_type(dtype).requires_grad_(true);
        var dh = randn(batch, rows, width, generator: generator).to_type(dtype);

        var fused = FusedSwiGlu.Apply(gate, up);
        fused.backward([dh]);
        var (fusedGate, fusedUp) = (gate.grad!.clone(), up.grad!.clone());
        gate.grad!.zero_();
        up.grad!.zero_();
        // The reference in float32, so the comparison measures the kernel, not libtorch's bf16 rounding.
        var (g32, u32) = (gate.detach().to_type(ScalarType.Float32).requires_grad_(true), up.detach().to_type(ScalarType.Float32).requires_grad_(true));
        var reference = nn.functional.silu(g32) * u32;
        reference.backward([dh.to_type(ScalarType.Float32)]);

        Assert.Equal(dtype, fused.dtype);
        Assert.Equal(dtype, fusedGate.dtype);
        // float32: float rounding; bfloat16: the result rounded once to 8 bits of mantissa (relative 2^-8).
        var (rtol, atol) = dtype == ScalarType.Float32 ? (1e-5, 1e-6) : (8e-3, 1e-3);
        AssertClose(fused, reference, rtol, atol, "output");
        AssertClose(fusedGate, g32.grad!, rtol, atol, "dgate");
        AssertClose(fusedUp, u32.grad!, rtol, atol, "dup");
    }

    [Fact]
    public void Bfloat16_results_are_rounded_to_nearest_like_libtorch()
    {
        using var scope = NewDisposeScope();
        var gate = linspace(-6, 6, 4099).to_type(ScalarType.BFloat16);
        var up = (linspace(3, -2, 4099) + 0.01).to_type(ScalarType.BFloat16);
        // libtorch computes in float and rounds to bf16 once: the same as the kernel.
        var expected = (nn.functional.silu(gate.to_type(ScalarType.Float32)) * up.to_type(ScalarType.Float32)).to_type(ScalarType.BFloat16);
        Tensor fused;
        using (no_grad()) fused = FusedSwiGlu.Apply(gate, up);
        var mismatches = fused.ne(expected).sum().item<long>();
        // exp() may differ from libtorch's in the last float bit, which can flip a rounding exactly at a tie.
        Assert.True(mismatches <= 4, $"{mismatches} of 4099 bf16 results differ from libtorch's rounding");
    }

    [Fact]
    public void Other_dtypes_and_mismatched_shapes_are_left_to_libtorch()
    {
        Assert.False(FusedSwiGlu.CanRun(ones(4, dtype: ScalarType.Float64), ones(4, dtype: ScalarType.Float64)));
        Assert.False(FusedSwiGlu.CanRun(ones(4), ones(4, dtype: ScalarType.BFloat16)));
        Assert.False(FusedSwiGlu.CanRun(ones(4, 2), ones(2, 4)));
        Assert.True(FusedSwiGlu.CanRun(ones(4, 2), ones(4, 2)));
    }

    private static void AssertClose(Tensor actual, Tensor expected, double rtol, double atol, string what)
    {
        var a = actual.to_type(ScalarType.Float32);
        Assert.True(a.allclose(expected, rtol, atol), $"{what} differs by up to {(a - expected).abs().max().item<float>()}");
    }
}
