using TorchSharp;

namespace Pipeline.Model.Tests;

/// <summary>Native-heavy tests run one at a time: libtorch already uses both cores.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchCollection : ICollectionFixture<TorchFixture>
{
    public const string Name = "torch";
}

public sealed class TorchFixture
{
    public TorchFixture()
    {
        // One thread: the tests' tensors are tiny, and on a shared 2-core machine OpenMP's spinning
        // threads made a step ~50x slower under load. One thread is also bit-for-bit repeatable.
        torch.set_num_threads(1);
    }
}
