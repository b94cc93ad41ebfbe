using Pipeline.Model.Kernels;
using Pipeline.Model.Llama;
using static TorchSharp.torch;

namespace Pipeline.Model.Tests;

/// <summary>The LM head and loss in one step against the separate form: linear, then the fused loss or libtorch's cross_entropy.</summary>
[Collection(TorchCollection.Name)]
public sealed class FusedLinearCrossEntropyTests
{
    private static (float Loss, Tensor HiddenGrad, Tensor WeightGrad) Run(Tensor hidden, Tensor weight, Tensor targets, ScalarType dtype, bool fused, float outer = 1f)
    {
        hidden.grad?.zero_();
        weight.grad?.zero_();
        var (h, w) = dtype == ScalarType.Float32 ? (hidden, weight) : (hidden.to_type(dtype), weight.to_type(dtype));
        var loss = fused
            ? FusedLinearCrossEntropy.Mean(h, w, targets)
            : nn.functional.cross_entropy(nn.functional.linear(h, w).to_type(ScalarType.Float32), targets);
        (loss * outer).backward();
        return (loss.item<float>(), hidden.grad!.clone(), weight.grad!.clone());
    }

    private static void AssertClose(Tensor expected, Tensor actual, double rtol, double atol, string what) =>
        Assert.True(actual.allclose(expected, rtol, atol), $"{what} differs by {(actual - expected).abs().max().item<float>()} (largest {expected.abs().max().item<float>()})");

    [Theory]
    [InlineData(600, 64, 4096, false, 1 << 20)] // blocks of 256 rows, the last one partial, 512-bit rows
    [InlineData(37, 16, 101, true, 1 << 20)]    // one block, a vocabulary that is no multiple of a vector, some rows ignored
    [InlineData(300, 8, 50, true, 16 * 50)]     // blocks of the smallest size (128 rows), the last one partial
    public void Float32_loss_and_gradients_equal_the_separate_form(int rows, int width, int vocab, bool ignoreSome, long blockElements)
    {
        using var scope = NewDisposeScope();
        var blockBefore = FusedLinearCrossEntropy.BlockElements;
        FusedLinearCrossEntropy.BlockElements = blockElements;
        try
        {
            var generator = new Generator(11);
            var hidden = randn(rows, width, generator: generator).requires_grad_(true);
            var weight = (randn(vocab, width, generator: generator) * 0.5).requires_grad_(true);
            var targets = randint(0, vocab, [rows], generator: generator);
            if (ignoreSome) targets[arange(0, rows, 3)] = tensor(-100L);

            var reference = Run(hidden, weight, targets, ScalarType.Float32, fused: false);
            var fused = Run(hidden, weight, targets, ScalarType.Float32, fused: true);

            Assert.Equal(reference.Loss, fused.Loss, 4);
            AssertClose(reference.HiddenGrad, fused.HiddenGrad, 1e-4, 1e-6, "hidden gradient");
            AssertClose(reference.WeightGrad, fused.WeightGrad, 1e-4, 1e-6, "weight gradient");
        }
        finally
        {
            FusedLinearCrossEntropy.BlockElements = blockBefore;
        }
    }

    [Fact]
    public void Bfloat16_loss_and_gradients_equal_the_separate_mixed_precision_form()
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(12);
        var hidden = randn(300, 64, generator: generator).requires_grad_(true);
        var weight = (randn(512, 64, generator: generator) * 0.5).requires_grad_(true);
        var targets = randint(0, 512, [300], generator: generator);

        var reference = Run(hidden, weight, targets, ScalarType.BFloat16, fused: false);
        var fused = Run(hidden, weight, targets, ScalarType.BFloat16, fused: true);

        // Same bf16 logits and the same float32 loss arithmetic; the gradients pass through bf16 matmuls either way.
        Assert.Equal(reference.Loss, fused.Loss, 3);
        Assert.Equal(ScalarType.Float32, fused.WeightGrad.dtype);
        AssertClose(reference.HiddenGrad, fused.HiddenGrad, 2e-2, 1e-4, "hidden gradient");
        AssertClose(reference.WeightGrad, fused.WeightGrad, 2e-2, 1e-4, "weight gradient");
    }

    [Fact]
    public void The_gradients_are_scaled_by_the_incoming_gradient()
    {
        using var scope = NewDisposeScope();
        var hidden = randn(40, 16).requires_grad_(true);
        var weight = randn(30, 16).requires_grad_(true);
        var targets = randint(0, 30, [40]);
        var reference = Run(hidden, weight, targets, ScalarType.Float32, fused: false, outer: 2.5f);
        var fused = Run(hidden, weight, targets, ScalarType.Float32, fused: true, outer: 2.5f);
        AssertClose(reference.HiddenGrad, fused.HiddenGrad, 1e-4, 1e-6, "hidden gradient");
        AssertClose(reference.WeightGrad, fused.WeightGrad, 1e-4, 1e-6, "weight gradient");
    }

    [Fact]
    public void Without_gradients_it_gives_the_same_loss()
    {
        using var scope = NewDisposeScope();
        var hidden = randn(50, 16);
        var weight = randn(70, 16);
        var targets = randint(0, 70, [50]);
        using var _ = no_grad();
        Assert.Equal(nn.functional.cross_entropy(nn.functional.linear(hidden, weight), targets).item<float>(),
            FusedLinearCrossEntropy.Mean(hidden, weight, targets).item<float>(), 4);
    }

    [Fact]
    public void Every_target_ignored_gives_nan_and_a_target_outside_the_vocabulary_is_rejected()
    {
        using var scope = NewDisposeScope();
        Assert.True(float.IsNaN(FusedLinearCrossEntropy.Mean(randn(4, 8), randn(10, 8), full(4, -100L)).item<float>()));
        var ex = Assert.Throws<ArgumentException>(() => FusedLinearCrossEntropy.Mean(randn(3, 8), randn(10, 8), tensor(new long[] { 1, 10, 2 })));
        Assert.Contains("target 10 at position 1", ex.Message);
    }

    [Fact]
    public void The_loss_is_bit_identical_for_any_thread_count()
    {
        using var scope = NewDisposeScope();
        var hidden = randn(300, 32).requires_grad_(true);
        var weight = randn(512, 32).requires_grad_(true);
        var targets = randint(0, 512, [300]);
        var threadsBefore = get_num_threads();
        var losses = new List<float>();
        try
        {
            foreach (var threads in new[] { 1, 2, 3 })
            {
                set_num_threads(threads);
                losses.Add(Run(hidden, weight, targets, ScalarType.Float32, fused: true).Loss);
            }
        }
        finally
        {
            set_num_threads(threadsBefore);
        }
        // Partial losses are summed in part order, and parts do not depend on the thread count.
        Assert.All(losses, loss => Assert.Equal(losses[0], loss));
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void The_models_loss_equals_cross_entropy_of_its_logits(bool tied, bool mixed)
    {
        using var model = LlamaForCausalLM.Create(Tiny.Config(tied: tied), seed: 6);
        if (mixed) model.ComputeDtype = ScalarType.BFloat16;
        using var ids = tensor(new long[] { 1, 5, 9, 2, 7, 3, 8, 4, 6, 10, 11, 12 }, [2, 6]);
        using var targets = tensor(new long[] { 5, 9, 2, 7, 3, -100, 4, 6, 10, 11, 12, 1 }, [2, 6]);

        var loss = model.Loss(ids, targets);
        loss.backward();
        var fusedGrads = model.parameters().Select(p => p.grad!.clone()).ToList();
        model.zero_grad();
        var logits = model.Forward(ids);
        var reference = nn.functional.cross_entropy(logits.view(-1, logits.shape[^1]), targets.view(-1));
        reference.backward();

        Assert.Equal(reference.item<float>(), loss.item<float>(), mixed ? 3 : 5);
        foreach (var (p, fusedGrad) in model.parameters().Zip(fusedGrads))
            AssertClose(p.grad!, fusedGrad, mixed ? 5e-2 : 1e-4, mixed ? 1e-3 : 1e-6, "parameter gradient");
    }
}
