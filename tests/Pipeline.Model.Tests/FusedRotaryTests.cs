using Pipeline.Model.Kernels;
using Pipeline.Model.Llama;
using static TorchSharp.torch;

namespace Pipeline.Model.Tests;

/// <summary>The fused rotary embedding (one pass each way, before the head split) against the composite <see cref="Rotary.ApplySigned"/>.</summary>
[Collection(TorchCollection.Name)]
public sealed class FusedRotaryTests
{
    [Theory]
    [InlineData(ScalarType.Float32, 64, 4, false)] // the vector loop (half a head is a multiple of 8)
    [InlineData(ScalarType.Float32, 8, 3, true)]   // the scalar loop, tables gathered per row
    [InlineData(ScalarType.Float32, 48, 2, true)]  // a 16-lane and an 8-lane block per half
    [InlineData(ScalarType.BFloat16, 64, 4, true)]
    [InlineData(ScalarType.BFloat16, 8, 2, false)]
    public void Forward_and_gradient_equal_the_composite_rotation(ScalarType dtype, int headDim, int heads, bool tablesPerRow)
    {
        using var scope = NewDisposeScope();
        var generator = new TorchSharp.torch.Generator(5);
        const int batch = 3, positions = 37;
        var (cosTable, sinTable) = Rotary.Tables(headDim, 10_000, 64);
        var signedTable = Rotary.SignedSin(sinTable);
        // Per row: each batch row at its own offset (as a padded batch gathers them); shared: positions 0..T-1.
        var index = tablesPerRow
            ? (arange(positions).unsqueeze(0) + tensor(new long[] { 0, 5, 20 }).unsqueeze(1)).reshape(-1)
            : arange(positions);
        var rows = tablesPerRow ? batch : 1;
        var cos = cosTable.index_select(0, index).view(rows, 1, positions, headDim).to_type(dtype);
        var signedSin = signedTable.index_select(0, index).view(rows, 1, positions, headDim).to_type(dtype);
        var projected = randn(batch, positions, heads * headDim, generator: generator).to_type(dtype).requires_grad_(true);
        var gradient = randn(batch, heads, positions, headDim, generator: generator).to_type(dtype);

        Assert.True(FusedRotary.CanRun(projected, cos, signedSin, headDim));
        var fused = FusedRotary.Apply(projected, cos, signedSin).view(batch, positions, heads, headDim).transpose(1, 2);
        fused.backward([gradient]);
        var fusedGrad = projected.grad!.clone();

        // The composite form in float32 (so the comparison measures the kernel, not libtorch's bf16 rounding).
        var x32 = projected.detach().to_type(ScalarType.Float32).requires_grad_(true);
        var expected = Rotary.ApplySigned(x32.view(batch, positions, heads, headDim).transpose(1, 2), cos.to_type(ScalarType.Float32), signedSin.to_type(ScalarType.Float32));
        expected.backward([gradient.to_type(ScalarType.Float32)]);

        var (rtol, atol) = dtype == ScalarType.Float32 ? (1e-6, 1e-6) : (8e-3, 8e-3);
        Assert.Equal(dtype, fused.dtype);
        Assert.True(fused.to_type(ScalarType.Float32).allclose(expected, rtol, atol), $"output differs by {(fused.to_type(ScalarType.Float32) - expected).abs().max().item<float>()}");
        Assert.True(fusedGrad.to_type(ScalarType.Float32).allclose(x32.grad!, rtol, atol), $"gradient differs by {(fusedGrad.to_type(ScalarType.Float32) - x32.grad!).abs().max().item<float>()}");
    }

    [Fact]
    public void The_model_gives_the_same_logits_and_gradients_with_and_without_it()
    {
        using var scope = NewDisposeScope();
        using var model = LlamaForCausalLM.Create(Tiny.Config(), seed: 3);
        var ids = tensor(new long[] { 1, 5, 9, 2, 7, 3, 3, 8, 1, 4 }, [2, 5]);
        Tensor Run(bool fused)
        {
            FusedRotary.Enabled = fused;
            try
            {
                model.zero_grad();
                var logits = model.Forward(ids);
                logits.sum().backward();
                return cat(model.parameters().Select(p => p.grad!.flatten()).Append(logits.flatten()).ToList(), 0);
            }
            finally
            {
                FusedRotary.Enabled = true;
            }
        }
        var composite = Run(false);
        var fusedRun = Run(true);
        Assert.True(fusedRun.allclose(composite, 1e-5, 1e-6), $"max difference {(fusedRun - composite).abs().max().item<float>()}");
    }

    [Fact]
    public void Other_layouts_and_dtypes_are_left_to_the_composite_form()
    {
        using var scope = NewDisposeScope();
        var (cos, sin) = Rotary.Tables(8, 10_000, 16);
        var (c, s) = (cos.view(1, 1, 16, 8), Rotary.SignedSin(sin).view(1, 1, 16, 8));
        Assert.False(FusedRotary.CanRun(randn(2, 16, 16, dtype: ScalarType.Float64), c.to_type(ScalarType.Float64), s.to_type(ScalarType.Float64), 8));
        Assert.False(FusedRotary.CanRun(randn(2, 16, 12), c, s, 8));          // not whole heads
        Assert.False(FusedRotary.CanRun(randn(2, 15, 16), c, s, 8));          // positions differ from the tables'
        Assert.False(FusedRotary.CanRun(randn(2, 16, 16).to_type(ScalarType.BFloat16), c, s, 8)); // dtypes differ
        Assert.True(FusedRotary.CanRun(randn(2, 16, 16), c, s, 8));
    }
}
