using static TorchSharp.torch;

namespace Pipeline.Model.Llama;

/// <summary>What every layer needs besides the hidden states; built once per forward call.</summary>
/// <param name="UsePrepared">Use the layers' generation-time weight copies for this call (see <see cref="InferenceWeights"/>); never with <paramref name="Compute"/> set.</param>
/// <param name="Compute">Mixed precision: the dtype the linear maps and attention run in (null: the weights' dtype).</param>
/// <param name="SignedSin">sin at the positions with its first half negated (see <see cref="Rotary.ApplySigned"/>).</param>
internal sealed record AttentionInputs(Tensor Cos, Tensor SignedSin, Tensor? Mask, bool IsCausal, KvCache? Cache, ScalarType? Compute = null, bool UsePrepared = false);
