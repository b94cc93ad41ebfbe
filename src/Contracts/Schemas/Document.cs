using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pipeline.Contracts.Schemas;

/// <summary>One corpus document, one JSONL line: <c>{id, text, source?, meta?}</c>.</summary>
public sealed record Document
{
    [JsonPropertyName("id")] public required string Id { get; init; }
    [JsonPropertyName("text")] public required string Text { get; init; }
    [JsonPropertyName("source")] public string? Source { get; init; }
    [JsonPropertyName("meta")] public Dictionary<string, JsonElement>? Meta { get; init; }
}
