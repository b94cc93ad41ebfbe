using Pipeline.Model.Llama;

namespace Pipeline.Model.Tests;

internal static class Tiny
{
    public static LlamaConfig Config(int vocab = 97, int kvHeads = 2, bool tied = false) => new()
    {
        HiddenSize = 32,
        IntermediateSize = 64,
        NumAttentionHeads = 4,
        NumKeyValueHeads = kvHeads,
        NumHiddenLayers = 2,
        VocabSize = vocab,
        MaxPositionEmbeddings = 128,
        TieWordEmbeddings = tied,
    };

    public static string TempDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "pipeline-model-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    public static float MaxAbsDiff(TorchSharp.torch.Tensor a, TorchSharp.torch.Tensor b) =>
        (a - b).abs().max().item<float>();
}
