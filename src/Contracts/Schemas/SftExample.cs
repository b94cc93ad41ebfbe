using System.Text.Json.Serialization;

namespace Pipeline.Contracts.Schemas;

/// <summary>One supervised fine-tuning example: <c>{messages:[{role, content}], category?}</c>.</summary>
public sealed record SftExample
{
    [JsonPropertyName("messages")] public required IReadOnlyList<ChatMessage> Messages { get; init; }
    [JsonPropertyName("category")] public string? Category { get; init; }
}

public sealed record ChatMessage
{
    [JsonPropertyName("role")] public required string Role { get; init; }
    [JsonPropertyName("content")] public required string Content { get; init; }
}

public static class ChatRoles
{
    public const string System = "system";
    public const string User = "user";
    public const string Assistant = "assistant";
    public static readonly IReadOnlySet<string> All = new HashSet<string> { System, User, Assistant };
}
