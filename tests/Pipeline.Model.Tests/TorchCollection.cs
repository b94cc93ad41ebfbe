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
        torch.set_num_threads(2);
    }
}
