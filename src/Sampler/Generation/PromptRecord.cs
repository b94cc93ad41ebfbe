using System.Text.Json;

namespace Pipeline.Sampler.Generation;

/// <summary>One prompt line: <c>{id?, prompt, system?}</c> or <c>{id?, messages:[...]}</c> (the last user turn is the prompt).</summary>
public sealed record PromptRecord(string Id, string Prompt, string? System)
{
    public static PromptRecord Parse(string line, long lineNumber)
    {
        using var document = JsonDocument.Parse(line);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object) throw new FormatException($"line {lineNumber}: expected a JSON object");
        var id = root.TryGetProperty("id", out var idValue) ? idValue.ToString() : $"line-{lineNumber}";
        string? system = root.TryGetProperty("system", out var systemValue) && systemValue.ValueKind == JsonValueKind.String ? systemValue.GetString() : null;
        if (root.TryGetProperty("prompt", out var prompt) && prompt.ValueKind == JsonValueKind.String)
            return new PromptRecord(id, prompt.GetString()!, system);
        if (root.TryGetProperty("messages", out var messages) && messages.ValueKind == JsonValueKind.Array)
        {
            string? user = null;
            foreach (var message in messages.EnumerateArray())
            {
                var role = message.TryGetProperty("role", out var r) ? r.GetString() : null;
                var content = message.TryGetProperty("content", out var c) ? c.GetString() : null;
                if (role == "system") system = content;
                if (role == "user") user = content;
            }
            if (user is not null) return new PromptRecord(id, user, system);
        }
        throw new FormatException($"line {lineNumber}: needs a string 'prompt' or 'messages' with a user turn");
    }
}
