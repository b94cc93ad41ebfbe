using System.Text.Json.Serialization;

namespace Pipeline.Sampler.Generation;

/// <summary>Output line: one prompt with its K samples (scores are filled once reward models score them).</summary>
public sealed record SampleRecord(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("prompt")] string Prompt,
    [property: JsonPropertyName("samples")] IReadOnlyList<SampleCandidate> Samples);

public sealed record SampleCandidate(
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("tokens")] int Tokens,
    [property: JsonPropertyName("mean_logprob")] double MeanLogProb,
    [property: JsonPropertyName("stopped")] bool Stopped);
