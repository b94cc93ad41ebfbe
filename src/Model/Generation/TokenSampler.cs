using Pipeline.Model.Kernels;
using static TorchSharp.torch;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace Pipeline.Model.Generation;

/// <summary>Picks the next token of every row from last-position logits.</summary>
internal static class TokenSampler
{
    /// <param name="uniforms">[B, 1] draws from [0, 1), one per row (see <see cref="RowRandom"/>); unused when greedy.</param>
    /// <returns>next ids [B] (int64) and their log-probabilities under the unfiltered softmax [B].</returns>
    public static (Tensor Ids, Tensor LogProbs) Sample(Tensor logits, SamplingOptions o, Tensor? uniforms)
    {
        var l = logits.dtype == ScalarType.Float32 ? logits : logits.to_type(ScalarType.Float32);
        if (o.Temperature <= 0)
        {
            // Greedy: the best logit minus logsumexp is its log-probability (fewer calls than log_softmax + gather).
            var (best, ids) = l.max(-1);
            return (ids, best - l.logsumexp(-1));
        }
        var logProbs = l.log_softmax(-1);
        var scaled = l / o.Temperature;
        var vocab = scaled.shape[^1];
        if (o.TopK > 0 && o.TopK < vocab)
        {
            var (values, _) = scaled.topk(o.TopK, -1);
            scaled = scaled.masked_fill(scaled.lt(values.narrow(-1, o.TopK - 1, 1)), double.NegativeInfinity);
        }
        if (o.TopP < 1.0)
        {
            var (sorted, order) = scaled.sort(-1, descending: true);
            var probs = sorted.softmax(-1);
            // Keep the smallest prefix whose mass reaches top_p (the first token always stays).
            var remove = (probs.cumsum(-1) - probs).gt(o.TopP);
            sorted = sorted.masked_fill(remove, double.NegativeInfinity);
            scaled = full_like(scaled, double.NegativeInfinity).scatter(-1, order, sorted);
        }
        // Inverse-CDF sampling with the row's own uniform draw: the first token whose cumulative
        // probability exceeds u * total. A filtered token (probability 0) adds nothing to the
        // cumulative sum, so it can never be the first to exceed it.
        var cdf = scaled.softmax(-1).cumsum(-1);
        var target = uniforms!.to_type(ScalarType.Float32) * cdf.narrow(-1, vocab - 1, 1);
        var next = searchsorted(cdf, target, right: true).clamp_max(vocab - 1);
        return (next.squeeze(-1), logProbs.gather(-1, next).squeeze(-1));
    }

    /// <summary>
    /// Greedy choice from float32 CPU logits [B, 1, vocab] (or [B, vocab]) read in place: per row the
    /// first index of the largest logit (as libtorch's max picks it) and its log-probability,
    /// -log(sum(exp(logit - max))).
    /// </summary>
    public static (long[] Ids, float[] LogProbs) GreedyOnHost(Tensor logits)
    {
        var all = HostFloats.Span(logits);
        var vocab = (int)logits.shape[^1];
        var rows = all.Length / vocab;
        var shifted = new float[vocab];
        var (ids, logProbs) = (new long[rows], new float[rows]);
        for (var r = 0; r < rows; r++)
        {
            var row = all.Slice(r * vocab, vocab);
            ids[r] = TensorPrimitives.IndexOfMax(row);
            TensorPrimitives.Subtract(row, row[(int)ids[r]], shifted);
            TensorPrimitives.Exp(shifted, shifted);
            logProbs[r] = -MathF.Log(TensorPrimitives.Sum(shifted));
        }
        return (ids, logProbs);
    }
}
