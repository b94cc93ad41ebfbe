using Pipeline.Model.Kernels;
using Pipeline.Model.Llama;
using static TorchSharp.torch;

namespace Pipeline.Model.Tests;

/// <summary>The fused float32 RMSNorm (one pass forward, one backward) against the composite libtorch form.</summary>
[Collection(TorchCollection.Name)]
public sealed class FusedRmsNormTests
{
    /// <summary>The norm as Hugging Face writes it, in libtorch ops: weight * x * rsqrt(mean(x^2) + eps).</summary>
    private static Tensor Composite(Tensor x, Tensor weight, double eps) =>
        weight * (x * x.square().mean([-1L], keepdim: true).add(eps).rsqrt());

    [Theory]
    [InlineData(512, 3, 256, 512)]  // 1,536 rows: many parts, both threads
    [InlineData(512, 2, 37, 64)]    // a row width that is no multiple of any vector width
    [InlineData(256, 1, 300, 256)]  // rows not a multiple of a part
    [InlineData(256, 2, 5, 8)]      // small enough to stay on one thread
    [InlineData(0, 2, 70, 40)]      // the scalar loops
    public void Forward_and_gradients_equal_the_composite_norm(int vectorBits, int batch, int rows, int size)
    {
        var bitsBefore = RmsNormRows.VectorBits;
        RmsNormRows.VectorBits = vectorBits;
        try
        {
            using var scope = NewDisposeScope();
            var generator = new TorchSharp.torch.Generator(7);
            var x = (randn(batch, rows, size, generator: generator) * 3).requires_grad_(true);
            var weight = (rand(size, generator: generator) + 0.5).requires_grad_(true);
            var dy = randn(batch, rows, size, generator: generator);

            var fused = FusedRmsNorm.Apply(x, weight, 1e-5);
            fused.backward([dy]);
            var (fusedDx, fusedDw) = (x.grad!.clone(), weight.grad!.clone());
            x.grad!.zero_();
            weight.grad!.zero_();
            var reference = Composite(x, weight, 1e-5);
            reference.backward([dy]);

            Assert.True(fused.allclose(reference, rtol: 1e-5, atol: 1e-5), $"output differs by {(fused - reference).abs().max().item<float>()}");
            Assert.True(fusedDx.allclose(x.grad!, rtol: 1e-4, atol: 1e-5), $"dx differs by {(fusedDx - x.grad!).abs().max().item<float>()}");
            Assert.True(fusedDw.allclose(weight.grad!, rtol: 1e-4, atol: 1e-4), $"dweight differs by {(fusedDw - weight.grad!).abs().max().item<float>()}");
        }
        finally
        {
            RmsNormRows.VectorBits = bitsBefore;
        }
    }

    [Fact]
    public void Gradients_are_bit_identical_for_any_thread_count()
    {
        using var scope = NewDisposeScope();
        var generator = new TorchSharp.torch.Generator(3);
        var x = randn(4, 300, 128, generator: generator).requires_grad_(true);
        var weight = (rand(128, generator: generator) + 0.5).requires_grad_(true);
        var dy = randn(4, 300, 128, generator: generator);
        var threadsBefore = get_num_threads();
        var results = new List<(Tensor Y, Tensor Dx, Tensor Dw)>();
        try
        {
            foreach (var threads in new[] { 1, 2, 3 })
            {
                set_num_threads(threads);
                x.grad?.zero_();
                weight.grad?.zero_();
                var y = FusedRmsNorm.Apply(x, weight, 1e-6);
                y.backward([dy]);
                results.Add((y.detach().clone(), x.grad!.clone(), weight.grad!.clone()));
            }
        }
        finally
        {
            set_num_threads(threadsBefore);
        }
        foreach (var (y, dx, dw) in results.Skip(1))
        {
            Assert.True(y.eq(results[0].Y).all().item<bool>());
            Assert.True(dx.eq(results[0].Dx).all().item<bool>());
            Assert.True(dw.eq(results[0].Dw).all().item<bool>());
        }
    }

    [Fact]
    public void Without_gradients_it_returns_the_same_values_and_builds_no_graph()
    {
        using var scope = NewDisposeScope();
        var x = randn(2, 9, 64, requires_grad: true);
        var weight = rand(64) + 0.5;
        var withGraph = FusedRmsNorm.Apply(x, weight, 1e-5);
        Tensor withoutGraph;
        using (no_grad()) withoutGraph = FusedRmsNorm.Apply(x, weight, 1e-5);
        Assert.True(withGraph.requires_grad);
        Assert.False(withoutGraph.requires_grad);
        Assert.True(withGraph.detach().eq(withoutGraph).all().item<bool>());
    }

    [Fact]
    public void The_module_uses_it_for_float32_on_the_cpu_and_the_composite_form_otherwise()
    {
        using var scope = NewDisposeScope();
        var norm = new RmsNorm(32, 1e-5);
        var x = randn(3, 5, 32);
        Assert.True(FusedRmsNorm.CanRun(x, norm.Weight));
        Assert.True(norm.forward(x).allclose(Composite(x, norm.Weight, 1e-5), rtol: 1e-5, atol: 1e-6));
        var half = x.to_type(ScalarType.BFloat16);
        Assert.False(FusedRmsNorm.CanRun(half, norm.Weight));
        // The composite path: float32 statistics of the bf16 input, within bf16 rounding of the float32 norm.
        Assert.True(norm.forward(half).to_type(ScalarType.Float32).allclose(Composite(x, norm.Weight, 1e-5), rtol: 2e-2, atol: 2e-2));
    }
}
