using static TorchSharp.torch;

namespace Pipeline.Model.Llama;

/// <summary>Hugging Face's Llama init: weights of linear/embedding layers ~ N(0, std), norm weights 1.</summary>
internal static class ModelInit
{
    public static void Initialize(nn.Module module, double std, long seed)
    {
        using var generator = new Generator((ulong)seed, CPU);
        using var _ = no_grad();
        // Parameter order is the module's registration order, so the same seed gives the same weights.
        foreach (var (name, p) in module.named_parameters())
        {
            if (name.EndsWith("norm.weight", StringComparison.Ordinal)) p.fill_(1.0);
            else p.normal_(0, std, generator);
        }
    }
}
