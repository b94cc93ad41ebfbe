using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Model.Tests;

/// <summary>The fused AdamW update against TorchSharp's AdamW, and checkpoints shared between them.</summary>
[Collection(TorchCollection.Name)]
public sealed class FusedAdamWTests
{
    private static List<Parameter> Parameters(ulong seed) =>
    [
        new Parameter(randn([300, 70], generator: new TorchSharp.torch.Generator(seed))),  // 21,000 floats: vectors and a tail
        new Parameter(randn([200_000], generator: new TorchSharp.torch.Generator(seed + 1))), // several chunks, both threads
        new Parameter(randn([5], generator: new TorchSharp.torch.Generator(seed + 2))),     // shorter than a vector
    ];

    private static void SetGradients(IReadOnlyList<Parameter> parameters, int step)
    {
        var generator = new TorchSharp.torch.Generator(100 + (ulong)step);
        foreach (var p in parameters) p.grad = randn(p.shape, generator: generator);
    }

    [Fact]
    public void Five_steps_with_two_groups_match_torchsharps_adamw()
    {
        using var scope = NewDisposeScope();
        var (mine, theirs) = (Parameters(1), Parameters(1));
        // Two groups as pretraining builds them: weight decay on matrices only.
        using var fused = new Pipeline.Model.Training.Fused.AdamW([new AdamW.ParamGroup(mine.Take(2), weight_decay: 0.1), new AdamW.ParamGroup(mine.Skip(2), weight_decay: 0)],
            lr: 3e-3, beta1: 0.9, beta2: 0.95, eps: 1e-5);
        using var reference = optim.AdamW([new AdamW.ParamGroup(theirs.Take(2), weight_decay: 0.1), new AdamW.ParamGroup(theirs.Skip(2), weight_decay: 0)],
            3e-3, 0.9, 0.95, 1e-5);
        for (var step = 0; step < 5; step++)
        {
            SetGradients(mine, step);
            SetGradients(theirs, step);
            fused.step();
            reference.step();
        }
        for (var i = 0; i < mine.Count; i++)
            Assert.True(mine[i].allclose(theirs[i], rtol: 1e-5, atol: 1e-6), $"parameter {i} differs by {(mine[i] - theirs[i]).abs().max().item<float>()}");
    }

    [Fact]
    public void A_parameter_without_a_gradient_is_left_alone()
    {
        using var scope = NewDisposeScope();
        var parameters = Parameters(2);
        var before = parameters.Select(p => p.detach().clone()).ToList();
        using var fused = new Pipeline.Model.Training.Fused.AdamW(parameters, lr: 1e-2, weightDecay: 0.1);
        parameters[0].grad = ones_like(parameters[0]);
        fused.step();
        Assert.False(parameters[0].eq(before[0]).all().item<bool>());
        Assert.True(parameters[1].eq(before[1]).all().item<bool>());
        Assert.True(parameters[2].eq(before[2]).all().item<bool>());
    }

    [Fact]
    public void A_checkpoint_of_torchsharps_adamw_loads_into_it()
    {
        using var scope = NewDisposeScope();
        var parameters = Parameters(4);
        using var reference = optim.AdamW(parameters, 1e-3, 0.9, 0.95, 1e-5, 0.1);
        SetGradients(parameters, 0);
        reference.step();
        var path = Path.Combine(Tiny.TempDir(), "optimizer.bin");
        reference.save_state_dict(path);
        using var fused = new Pipeline.Model.Training.Fused.AdamW(Parameters(4), lr: 1e-3, beta1: 0.9, beta2: 0.95, eps: 1e-5, weightDecay: 0.1);
        fused.load_state_dict(path);
        var state = (AdamW.State)fused.state_dict().State[0];
        Assert.Equal(1, state.step);
    }

    [Fact]
    public void Its_checkpoint_loads_into_torchsharps_adamw_and_both_continue_alike()
    {
        using var scope = NewDisposeScope();
        var (mine, theirs) = (Parameters(3), Parameters(3));
        using var fused = new Pipeline.Model.Training.Fused.AdamW(mine, lr: 1e-3, beta1: 0.9, beta2: 0.95, eps: 1e-5, weightDecay: 0.1);
        for (var step = 0; step < 3; step++)
        {
            SetGradients(mine, step);
            fused.step();
        }
        for (var i = 0; i < mine.Count; i++)
            using (no_grad()) theirs[i].copy_(mine[i]);
        var path = Path.Combine(Tiny.TempDir(), "optimizer.bin");
        fused.save_state_dict(path);
        using var reference = optim.AdamW(theirs, 1e-3, 0.9, 0.95, 1e-5, 0.1);
        reference.load_state_dict(path);
        SetGradients(mine, 3);
        SetGradients(theirs, 3);
        fused.step();
        reference.step();
        for (var i = 0; i < mine.Count; i++)
            Assert.True(mine[i].allclose(theirs[i], rtol: 1e-5, atol: 1e-6), $"parameter {i} differs after resuming");
    }
}
