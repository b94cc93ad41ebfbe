using System.Text.Json;
using Pipeline.Contracts.Schemas;

namespace Pipeline.Ingest.Sft;

/// <summary>
/// One SFT line in any accepted form — <c>{messages, category?}</c>, <c>{instruction, input?, output}</c>,
/// <c>{prompt, response}</c> — to the schema's messages, or the reason it is unusable. Turn order is
/// checked here: an optional system message, then user/assistant alternating, ending with the assistant.
/// </summary>
public static class SftRecordParser
{
    public static (SftExample? Example, string? Problem) Parse(string line)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException ex)
        {
            return (null, $"malformed JSON: {ex.Message}");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return (null, $"expected a JSON object, found {root.ValueKind}");
            string? category = null;
            if (root.TryGetProperty("category", out var categoryElement) && categoryElement.ValueKind != JsonValueKind.Null)
            {
                if (categoryElement.ValueKind != JsonValueKind.String) return (null, "category must be a string");
                category = categoryElement.GetString();
                if (category is not ("helpfulness" or "safety")) return (null, $"unknown category '{category}'; expected helpfulness or safety");
            }
            List<ChatMessage> messages;
            if (root.TryGetProperty("messages", out var messagesElement))
            {
                if (messagesElement.ValueKind != JsonValueKind.Array) return (null, "messages must be an array");
                messages = [];
                var index = 0;
                foreach (var message in messagesElement.EnumerateArray())
                {
                    if (message.ValueKind != JsonValueKind.Object) return (null, $"messages[{index}] must be an object");
                    if (!message.TryGetProperty("role", out var role) || role.ValueKind != JsonValueKind.String) return (null, $"messages[{index}].role must be a string");
                    if (!message.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.String) return (null, $"messages[{index}].content must be a string");
                    messages.Add(new ChatMessage { Role = role.GetString()!, Content = content.GetString()! });
                    index++;
                }
            }
            else if (String(root, "instruction") is { } instruction)
            {
                var output = String(root, "output");
                if (output is null) return (null, "instruction without an output string");
                var input = String(root, "input");
                var user = string.IsNullOrWhiteSpace(input) ? instruction : $"{instruction}\n\n{input}";
                messages = [new ChatMessage { Role = ChatRoles.User, Content = user }, new ChatMessage { Role = ChatRoles.Assistant, Content = output }];
            }
            else if (String(root, "prompt") is { } prompt)
            {
                var response = String(root, "response");
                if (response is null) return (null, "prompt without a response string");
                messages = [new ChatMessage { Role = ChatRoles.User, Content = prompt }, new ChatMessage { Role = ChatRoles.Assistant, Content = response }];
            }
            else
            {
                return (null, "unrecognised record: expected messages, instruction/output or prompt/response");
            }
            var problem = CheckTurns(messages);
            return problem is null ? (new SftExample { Messages = messages, Category = category ?? "helpfulness" }, null) : (null, problem);
        }
    }

    private static string? String(JsonElement root, string field) =>
        root.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public static string? CheckTurns(IReadOnlyList<ChatMessage> messages)
    {
        if (messages.Count == 0) return "no messages";
        var start = messages[0].Role == ChatRoles.System ? 1 : 0;
        if (messages.Count - start < 2) return "needs at least one user and one assistant message";
        for (var i = 0; i < messages.Count; i++)
        {
            var role = messages[i].Role;
            if (!ChatRoles.All.Contains(role)) return $"messages[{i}]: unknown role '{role}'";
            if (i < start) continue;
            var expected = (i - start) % 2 == 0 ? ChatRoles.User : ChatRoles.Assistant;
            if (role != expected) return $"messages[{i}]: expected {expected} but found {role} (turns must alternate user/assistant after an optional system message)";
            if (string.IsNullOrWhiteSpace(messages[i].Content)) return $"messages[{i}]: empty {role} content";
        }
        return messages[^1].Role == ChatRoles.Assistant ? null : "the last message must be the assistant's answer";
    }
}
