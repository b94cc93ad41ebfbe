using Pipeline.Model.Llama;
using static TorchSharp.torch;

namespace Pipeline.Model.Generation;

/// <summary>
/// Batched autoregressive generation: prompts are left-padded to a common length (so every row's
/// next token sits in the last column), a KV cache holds past keys/values, each row stops on its
/// own stop token and the batch ends when all rows stopped or the budget is spent. A call switches
/// the model to eval mode and attaches generation-time weight copies to it (see InferenceWeights),
/// so one model instance serves one Generate call at a time (the sampler loads a model per message).
/// </summary>
public sealed class TextGenerator(LlamaForCausalLM model)
{
    private const long PadId = 0;

    public IReadOnlyList<GeneratedSequence> Generate(IReadOnlyList<IReadOnlyList<int>> prompts, SamplingOptions options, CancellationToken cancellationToken = default)
    {
        if (prompts.Count == 0) return [];
        if (prompts.Any(p => p.Count == 0)) throw new ArgumentException("every prompt needs at least one token (e.g. BOS)", nameof(prompts));
        var config = model.Config;
        var stops = (options.StopIds ?? (config.EosTokenId is int e ? [e] : [])).ToHashSet();
        var b = prompts.Count;
        var p = prompts.Max(x => x.Count);
        var total = p + options.MaxNewTokens;
        if (total > config.MaxPositionEmbeddings)
            throw new ArgumentException($"prompt ({p}) + max new tokens ({options.MaxNewTokens}) exceeds max_position_embeddings {config.MaxPositionEmbeddings}");
        var parameter = model.parameters().First();
        var device = parameter.device;
        var padded = prompts.Any(x => x.Count != p);

        var outputs = Enumerable.Range(0, b).Select(_ => new List<int>()).ToArray();
        var logProbs = Enumerable.Range(0, b).Select(_ => new List<float>()).ToArray();
        var finished = new bool[b];

        var wasTraining = model.training;
        model.eval();
        // Inference mode, not just no_grad: tensors skip autograd's version counters and view tracking,
        // which on a decode step of ~200 tiny ops is a measurable share of each op's cost.
        using var inference = inference_mode();
        using var inferenceWeights = model.PrepareInferenceWeights();
        using var generator = new Generator((ulong)options.Seed, device);
        var flat = new long[b * p];
        var maskValues = new long[b * total];
        for (var i = 0; i < b; i++)
        {
            var offset = p - prompts[i].Count;
            for (var j = 0; j < prompts[i].Count; j++) { flat[i * p + offset + j] = prompts[i][j]; maskValues[i * total + offset + j] = 1; }
            for (var j = p; j < total; j++) maskValues[i * total + j] = 1;
        }
        using var sequence = zeros([b, total], ScalarType.Int64, device);
        using var mask = tensor(maskValues, [b, total], ScalarType.Int64).to(device);
        using (var promptTensor = tensor(flat, [b, p], ScalarType.Int64)) sequence.narrow(1, 0, p).copy_(promptTensor);
        using var cache = options.UseKvCache ? new KvCache(config, b, total, model.ComputeDtype ?? parameter.dtype, device) : null;

        var length = p;
        for (var step = 0; step < options.MaxNewTokens; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            // First step (or no cache): the whole sequence so far; afterwards only the newest token.
            var input = step == 0 || !options.UseKvCache ? sequence.narrow(1, 0, length) : sequence.narrow(1, length - 1, 1);
            var forward = new ForwardOptions(AttentionMask: padded ? mask.narrow(1, 0, length) : null, Cache: cache);
            var logits = model.Forward(input, forward);
            var (next, lp) = TokenSampler.Sample(logits.select(1, -1), options, generator);
            var nextIds = next.cpu().data<long>().ToArray();
            var nextLp = lp.cpu().data<float>().ToArray();
            for (var i = 0; i < b; i++)
            {
                if (finished[i]) { nextIds[i] = PadId; continue; }
                outputs[i].Add((int)nextIds[i]);
                logProbs[i].Add(nextLp[i]);
                if (stops.Contains((int)nextIds[i])) finished[i] = true;
            }
            if (finished.All(f => f)) break;
            using (var nextTensor = tensor(nextIds, [b, 1], ScalarType.Int64)) sequence.narrow(1, length, 1).copy_(nextTensor);
            length++;
        }
        if (wasTraining) model.train();
        return Enumerable.Range(0, b).Select(i => new GeneratedSequence(prompts[i], outputs[i], logProbs[i], finished[i])).ToList();
    }
}
