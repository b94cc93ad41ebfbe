using Pipeline.Model.Llama;
using static TorchSharp.torch;

namespace Pipeline.Model.Generation;

/// <summary>
/// Batched autoregressive generation: prompts are left-padded to a common length (so every row's
/// next token sits in the last column), a KV cache holds past keys/values, each row stops on its
/// own stop token and the batch ends when all rows stopped or the budget is spent. A small model's
/// single sequence decodes on one quiet thread (see <see cref="DecodePlan"/>). A call switches
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
        var longest = prompts.Max(x => x.Count);
        if (longest + options.MaxNewTokens > config.MaxPositionEmbeddings)
            throw new ArgumentException($"prompt ({longest}) + max new tokens ({options.MaxNewTokens}) exceeds max_position_embeddings {config.MaxPositionEmbeddings}");
        var device = model.parameters().First().device;

        var wasTraining = model.training;
        model.eval();
        try
        {
            // The C# decode step packs weights of its own; the prompt then runs on the original layout.
            var fused = CpuDecoder.CanRun(model, options, device);
            IDisposable inferenceWeights;
            using (inference_mode()) inferenceWeights = fused ? new InferenceWeights.Release(() => { }) : model.PrepareInferenceWeights();
            using (inferenceWeights)
            {
                if (!DecodePlan.OnOneQuietThread(model, prompts.Count, options.UseKvCache, device))
                    return Decode(prompts, options, device, fused, cancellationToken);
                return SingleThreadedWorkers.Run([() => Decode(prompts, options, device, fused, cancellationToken)])[0];
            }
        }
        finally
        {
            if (wasTraining) model.train();
        }
    }

    private List<GeneratedSequence> Decode(IReadOnlyList<IReadOnlyList<int>> prompts, SamplingOptions options, Device device, bool fused, CancellationToken cancellationToken)
    {
        var config = model.Config;
        var stops = (options.StopIds ?? (config.EosTokenId is int e ? [e] : [])).ToHashSet();
        var b = prompts.Count;
        var p = prompts.Max(x => x.Count);
        var total = p + options.MaxNewTokens;
        var padded = prompts.Any(x => x.Count != p);
        var sampling = options.Temperature > 0;
        var random = Enumerable.Range(0, b).Select(row => new RowRandom(options.Seed, row)).ToArray();
        var uniforms = new float[b];

        var outputs = Enumerable.Range(0, b).Select(_ => new List<int>()).ToArray();
        var logProbs = Enumerable.Range(0, b).Select(_ => new List<float>()).ToArray();
        var finished = new bool[b];

        // Inference mode, not just no_grad: tensors skip autograd's version counters and view tracking,
        // which on a decode step of ~200 tiny ops is a measurable share of each op's cost. The guard
        // is per thread, so each decoding thread enters it.
        using var inference = inference_mode();
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
        using var cache = options.UseKvCache ? new KvCache(config, b, total, model.ComputeDtype ?? model.parameters().First().dtype, device) : null;
        // Built on the decoding thread, so it sees that thread's intra-op setting (see DecodePlan).
        using var decoder = fused ? new CpuDecoder(model, prompts.Select(x => p - x.Count).ToArray()) : null;
        long[]? previous = null;

        var length = p;
        Tensor? newest = null;
        for (var step = 0; step < options.MaxNewTokens; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            // First step (or no cache): the whole sequence so far; afterwards only the newest token.
            Tensor logits;
            if (decoder is not null && previous is not null) logits = decoder.Step(previous, cache!);
            else
            {
                var input = newest ?? sequence.narrow(1, 0, length);
                var forward = new ForwardOptions(AttentionMask: padded ? mask.narrow(1, 0, length) : null, Cache: cache);
                logits = model.LastPositionLogits(input, forward);
            }
            long[] nextIds;
            float[] nextLp;
            // The C# step's logits are already in host memory: greedy picks there, without a native call.
            if (decoder is not null && !sampling) (nextIds, nextLp) = TokenSampler.GreedyOnHost(logits);
            else
            {
                Tensor? draws = null;
                if (sampling)
                {
                    for (var i = 0; i < b; i++) uniforms[i] = random[i].Next();
                    draws = tensor(uniforms, [b, 1]).to(device);
                }
                var (next, lp) = TokenSampler.Sample(logits.select(1, -1), options, draws);
                nextIds = next.cpu().data<long>().ToArray();
                nextLp = lp.cpu().data<float>().ToArray();
            }
            for (var i = 0; i < b; i++)
            {
                if (finished[i]) { nextIds[i] = PadId; continue; }
                outputs[i].Add((int)nextIds[i]);
                logProbs[i].Add(nextLp[i]);
                if (stops.Contains((int)nextIds[i])) finished[i] = true;
            }
            if (finished.All(f => f)) break;
            if (decoder is not null)
            {
                previous = nextIds;
                length++;
                continue;
            }
            var nextTensor = tensor(nextIds, [b, 1], ScalarType.Int64).to(device);
            if (options.UseKvCache)
            {
                // With a cache the next call reads only this column, so it need not go into the sequence.
                newest?.Dispose();
                newest = nextTensor.MoveToOuterDisposeScope();
            }
            else
            {
                sequence.narrow(1, length, 1).copy_(nextTensor);
            }
            length++;
        }
        newest?.Dispose();
        return Enumerable.Range(0, b).Select(i => new GeneratedSequence(prompts[i], outputs[i], logProbs[i], finished[i])).ToList();
    }
}
