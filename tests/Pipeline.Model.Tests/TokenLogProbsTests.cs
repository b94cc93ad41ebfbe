using Pipeline.Model.Llama;
using static TorchSharp.torch;

namespace Pipeline.Model.Tests;

[Collection(TorchCollection.Name)]
public sealed class TokenLogProbsTests
{
    [Fact]
    public void Log_probs_pick_the_next_token_and_masked_loss_averages_only_masked_targets()
    {
        using var model = LlamaForCausalLM.Create(Tiny.Config(), seed: 21);
        using var _ = no_grad();
        using var ids = tensor(new long[] { 1, 10, 20, 30, 40 }).view(1, 5);
        using var logp = TokenLogProbs.Of(model, ids);
        using var full = model.Forward(ids).log_softmax(-1);
        Assert.Equal(new long[] { 1, 4 }, logp.shape);
        Assert.Equal(full[0, 2, 30].item<float>(), logp[0, 2].item<float>(), 5);

        // Only targets 30 and 40 (positions 3 and 4) count.
        using var mask = tensor(new long[] { 0, 0, 0, 1, 1 }).view(1, 5);
        var expected = -(full[0, 2, 30].item<float>() + full[0, 3, 40].item<float>()) / 2;
        Assert.Equal(expected, TokenLogProbs.MaskedLoss(model, ids, mask).item<float>(), 5);
    }
}
