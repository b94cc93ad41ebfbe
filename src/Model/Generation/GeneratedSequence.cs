namespace Pipeline.Model.Generation;

/// <summary>
/// One generated continuation. <see cref="LogProbs"/> are log p(token) under the model's plain
/// softmax (temperature 1, no top-k/top-p), i.e. the policy probabilities PPO's ratio needs,
/// regardless of the sampling settings used to pick the token. The stop token, when hit, is
/// included in <see cref="OutputIds"/>.
/// </summary>
public sealed record GeneratedSequence(IReadOnlyList<int> PromptIds, IReadOnlyList<int> OutputIds, IReadOnlyList<float> LogProbs, bool Stopped);
