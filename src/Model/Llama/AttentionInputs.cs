using static TorchSharp.torch;

namespace Pipeline.Model.Llama;

/// <summary>What every layer needs besides the hidden states; built once per forward call.</summary>
/// <param name="Compute">Mixed precision: the dtype the linear maps and attention run in (null: the weights' dtype).</param>
internal sealed record AttentionInputs(Tensor Cos, Tensor Sin, Tensor? Mask, bool IsCausal, KvCache? Cache, ScalarType? Compute = null);
