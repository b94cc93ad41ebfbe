using Pipeline.Model.Generation;
using Pipeline.Model.Llama;
using static TorchSharp.torch;

namespace Pipeline.Model.Tests;

/// <summary>The generator's transposed/fused weight copies give what the plain model computes.</summary>
[Collection(TorchCollection.Name)]
public sealed class InferenceWeightsTests
{
    [Theory]
    [InlineData(2, false)]
    [InlineData(4, true)]
    [InlineData(1, false)]
    public void Generated_tokens_and_log_probs_match_a_plain_full_forward(int kvHeads, bool tied)
    {
        using var model = LlamaForCausalLM.Create(Tiny.Config(kvHeads: kvHeads, tied: tied), seed: 11);
        int[][] prompts = [[1, 7, 3, 9], [2, 5]];
        var generated = new TextGenerator(model).Generate(prompts, new SamplingOptions { MaxNewTokens = 10, Temperature = 0, StopIds = [] });

        using var _ = no_grad();
        foreach (var (sequence, prompt) in generated.Zip(prompts))
        {
            // The plain path: the whole sequence through the model's own Linear modules, no cache, no copies.
            var ids = prompt.Concat(sequence.OutputIds).Select(i => (long)i).ToArray();
            using var logits = model.Forward(tensor(ids, [1, ids.Length]));
            using var logProbs = logits.log_softmax(-1);
            for (var i = 0; i < sequence.OutputIds.Count; i++)
            {
                var position = prompt.Length - 1 + i;
                Assert.Equal(logits[0, position].argmax().item<long>(), sequence.OutputIds[i]);
                Assert.Equal(logProbs[0, position, sequence.OutputIds[i]].item<float>(), sequence.LogProbs[i], 3);
            }
        }
    }

    [Fact]
    public void Copies_are_dropped_when_the_generator_returns_and_training_sees_the_modules_again()
    {
        using var model = LlamaForCausalLM.Create(Tiny.Config(), seed: 12);
        new TextGenerator(model).Generate([[1, 2, 3]], new SamplingOptions { MaxNewTokens = 3, Temperature = 0, StopIds = [] });

        // After generation the weights change; a prepared copy left behind would make logits ignore the change.
        using (no_grad())
        {
            foreach (var p in model.parameters()) p.mul_(0.5);
        }
        using var ids = tensor(new long[] { 1, 2, 3 }, [1, 3]);
        using var after = model.Forward(ids);
        using var prepared = model.PrepareInferenceWeights();
        using var viaCopies = model.Forward(ids);
        Assert.True(Tiny.MaxAbsDiff(after, viaCopies) < 1e-5f);
    }
}
