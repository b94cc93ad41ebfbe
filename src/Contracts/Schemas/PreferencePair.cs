using System.Text.Json.Serialization;

namespace Pipeline.Contracts.Schemas;

/// <summary>
/// One human preference comparison (Llama 2 §3.2.1): a prompt (or a dialogue so far), the chosen and
/// rejected responses, how much better the chosen one is, and the safety label of the pair.
/// </summary>
public sealed record PreferencePair
{
    [JsonPropertyName("prompt")] public string? Prompt { get; init; }
    [JsonPropertyName("messages")] public IReadOnlyList<ChatMessage>? Messages { get; init; }
    [JsonPropertyName("chosen")] public required string Chosen { get; init; }
    [JsonPropertyName("rejected")] public required string Rejected { get; init; }
    [JsonPropertyName("strength")] public required string Strength { get; init; }
    [JsonPropertyName("safety")] public string? Safety { get; init; }
    [JsonPropertyName("category")] public string? Category { get; init; }
}

/// <summary>Allowed label values, exactly as they appear in the JSONL.</summary>
public static class PreferenceLabels
{
    public static readonly IReadOnlyList<string> Strengths =
        ["significantly_better", "better", "slightly_better", "negligibly_better"];
    public static readonly IReadOnlyList<string> SafetyLabels =
        ["chosen_safe_rejected_unsafe", "both_safe", "both_unsafe"];
    public static readonly IReadOnlyList<string> Categories = ["helpfulness", "safety"];
}
