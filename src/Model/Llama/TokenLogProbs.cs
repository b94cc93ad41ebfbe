using static TorchSharp.torch;

namespace Pipeline.Model.Llama;

/// <summary>
/// Next-token losses and log-probabilities over given sequences — what SFT (loss on answer tokens
/// only), rejection-sampling fine-tuning and PPO (log pi of sampled tokens) share.
/// Position t's logits predict token t+1, so results have T-1 columns.
/// </summary>
public static class TokenLogProbs
{
    /// <summary>log p(ids[:, t+1] | ids[:, ..t]) as [B, T-1] (float32).</summary>
    public static Tensor Of(LlamaForCausalLM model, Tensor ids, Tensor? attentionMask = null)
    {
        var t = ids.shape[1];
        var logits = model.Forward(ids, attentionMask is null ? null : new ForwardOptions(AttentionMask: attentionMask));
        var logProbs = logits.narrow(1, 0, t - 1).to_type(ScalarType.Float32).log_softmax(-1);
        return logProbs.gather(-1, ids.narrow(1, 1, t - 1).unsqueeze(-1)).squeeze(-1);
    }

    /// <summary>
    /// Mean cross-entropy over the target tokens whose <paramref name="lossMask"/> ([B, T], aligned
    /// with <paramref name="ids"/>) is set — e.g. <see cref="Tokenization.ChatEncoding.LossMask"/>.
    /// The mask is read at the predicted token, so mask[:, 0] never counts.
    /// </summary>
    public static Tensor MaskedLoss(LlamaForCausalLM model, Tensor ids, Tensor lossMask, Tensor? attentionMask = null)
    {
        var t = ids.shape[1];
        var mask = lossMask.narrow(1, 1, t - 1).to_type(ScalarType.Float32);
        var count = mask.sum();
        return -(Of(model, ids, attentionMask) * mask).sum() / count.clamp_min(1);
    }
}
