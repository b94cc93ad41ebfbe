using static TorchSharp.torch;

namespace Pipeline.Model.Llama;

/// <summary>Optional inputs of a forward call.</summary>
/// <param name="AttentionMask">[B, past + T], 1 for real tokens and 0 for padding (left or right).</param>
/// <param name="PositionIds">[B, T]; default: derived from the attention mask, else past .. past+T-1.</param>
/// <param name="DocumentIds">[B, T]; when set, a token attends only to earlier tokens of the same
/// document (block-diagonal causal mask) — used by packed pretraining when document isolation is on.</param>
/// <param name="Cache">KV cache to read past keys/values from and append this call's to.</param>
public sealed record ForwardOptions(
    Tensor? AttentionMask = null,
    Tensor? PositionIds = null,
    Tensor? DocumentIds = null,
    KvCache? Cache = null);
