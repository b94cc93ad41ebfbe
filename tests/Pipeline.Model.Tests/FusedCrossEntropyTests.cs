using Pipeline.Model.Kernels;
using static TorchSharp.torch;

namespace Pipeline.Model.Tests;

/// <summary>The fused token cross-entropy against libtorch's cross_entropy.</summary>
[Collection(TorchCollection.Name)]
public sealed class FusedCrossEntropyTests
{
    [Theory]
    [InlineData(600, 4096, false)] // many parts on both threads, 512-bit rows
    [InlineData(37, 101, true)]    // a vocabulary that is no multiple of a vector, some rows ignored
    [InlineData(3, 5, false)]      // rows shorter than a vector
    public void Loss_and_gradient_equal_libtorch(int rows, int vocab, bool ignoreSome)
    {
        using var scope = NewDisposeScope();
        var generator = new TorchSharp.torch.Generator(5);
        var logits = (randn(rows, vocab, generator: generator) * 6).requires_grad_(true);
        var targets = randint(0, vocab, [rows], generator: generator);
        if (ignoreSome) targets[arange(0, rows, 3)] = tensor(-100L);

        var fused = FusedCrossEntropy.Mean(logits, targets);
        fused.backward();
        var fusedGrad = logits.grad!.clone();
        logits.grad!.zero_();
        var reference = nn.functional.cross_entropy(logits, targets);
        reference.backward();

        Assert.Equal(reference.item<float>(), fused.item<float>(), 4);
        Assert.True(fusedGrad.allclose(logits.grad!, rtol: 1e-4, atol: 1e-7), $"gradient differs by {(fusedGrad - logits.grad!).abs().max().item<float>()}");
    }

    [Fact]
    public void The_gradient_is_scaled_by_the_incoming_gradient()
    {
        using var scope = NewDisposeScope();
        var logits = randn(20, 30, requires_grad: true);
        var targets = randint(0, 30, [20]);
        (FusedCrossEntropy.Mean(logits, targets) * 2.5).backward();
        var fusedGrad = logits.grad!.clone();
        logits.grad!.zero_();
        (nn.functional.cross_entropy(logits, targets) * 2.5).backward();
        Assert.True(fusedGrad.allclose(logits.grad!, rtol: 1e-4, atol: 1e-7));
    }

    [Fact]
    public void Every_target_ignored_gives_nan_as_libtorch_does()
    {
        using var scope = NewDisposeScope();
        var logits = randn(4, 10);
        var targets = full(4, -100L);
        Assert.True(float.IsNaN(FusedCrossEntropy.Mean(logits, targets).item<float>()));
        Assert.True(float.IsNaN(nn.functional.cross_entropy(logits, targets).item<float>()));
    }

    [Fact]
    public void A_target_outside_the_vocabulary_is_rejected_with_its_position()
    {
        using var scope = NewDisposeScope();
        var ex = Assert.Throws<ArgumentException>(() => FusedCrossEntropy.Mean(randn(3, 10), tensor(new long[] { 1, 10, 2 })));
        Assert.Contains("target 10 at position 1", ex.Message);
    }

    [Fact]
    public void Loss_and_gradient_are_bit_identical_for_any_thread_count()
    {
        using var scope = NewDisposeScope();
        var logits = randn(300, 512, requires_grad: true);
        var targets = randint(0, 512, [300]);
        var threadsBefore = get_num_threads();
        var results = new List<(float Loss, Tensor Grad)>();
        try
        {
            foreach (var threads in new[] { 1, 2, 3 })
            {
                set_num_threads(threads);
                logits.grad?.zero_();
                var loss = FusedCrossEntropy.Mean(logits, targets);
                loss.backward();
                results.Add((loss.item<float>(), logits.grad!.clone()));
            }
        }
        finally
        {
            set_num_threads(threadsBefore);
        }
        Assert.All(results, r => Assert.Equal(results[0].Loss, r.Loss));
        Assert.All(results, r => Assert.True(r.Grad.eq(results[0].Grad).all().item<bool>()));
    }
}
