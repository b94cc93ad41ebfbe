using static TorchSharp.torch;

namespace Pipeline.Model.Llama;

/// <summary>What every layer needs besides the hidden states; built once per forward call.</summary>
internal sealed record AttentionInputs(Tensor Cos, Tensor Sin, Tensor? Mask, bool IsCausal, KvCache? Cache);
