using System.Text.Json;

namespace Pipeline.Contracts.Schemas.Validation;

/// <summary>Small field checks shared by the record schemas.</summary>
internal static class JsonFieldChecks
{
    public static bool RequireObject(JsonElement record, long line, ICollection<SchemaProblem> problems)
    {
        if (record.ValueKind == JsonValueKind.Object) return true;
        problems.Add(new SchemaProblem(line, "$", $"expected a JSON object, found {Describe(record.ValueKind)}"));
        return false;
    }

    public static string? RequireString(JsonElement record, string field, long line, ICollection<SchemaProblem> problems, bool allowEmpty = false)
    {
        if (!record.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            problems.Add(new SchemaProblem(line, field, "is required"));
            return null;
        }
        if (value.ValueKind != JsonValueKind.String)
        {
            problems.Add(new SchemaProblem(line, field, $"must be a string, found {Describe(value.ValueKind)}"));
            return null;
        }
        var text = value.GetString()!;
        if (!allowEmpty && string.IsNullOrWhiteSpace(text)) problems.Add(new SchemaProblem(line, field, "must not be empty"));
        return text;
    }

    public static string? OptionalString(JsonElement record, string field, long line, ICollection<SchemaProblem> problems)
    {
        if (!record.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind == JsonValueKind.String) return value.GetString();
        problems.Add(new SchemaProblem(line, field, $"must be a string, found {Describe(value.ValueKind)}"));
        return null;
    }

    public static void OptionalLabel(JsonElement record, string field, IReadOnlyList<string> allowed, long line, ICollection<SchemaProblem> problems)
    {
        var value = OptionalString(record, field, line, problems);
        if (value is not null && !allowed.Contains(value))
            problems.Add(new SchemaProblem(line, field, $"unknown label '{value}'; expected one of {string.Join(", ", allowed)}"));
    }

    public static void CheckMessages(JsonElement messages, string field, long line, ICollection<SchemaProblem> problems)
    {
        if (messages.ValueKind != JsonValueKind.Array)
        {
            problems.Add(new SchemaProblem(line, field, $"must be an array, found {Describe(messages.ValueKind)}"));
            return;
        }
        if (messages.GetArrayLength() == 0)
        {
            problems.Add(new SchemaProblem(line, field, "must hold at least one message"));
            return;
        }
        var index = 0;
        foreach (var message in messages.EnumerateArray())
        {
            var path = $"{field}[{index++}]";
            if (message.ValueKind != JsonValueKind.Object)
            {
                problems.Add(new SchemaProblem(line, path, $"must be an object, found {Describe(message.ValueKind)}"));
                continue;
            }
            var role = RequireString(message, "role", line, problems);
            if (role is not null && !ChatRoles.All.Contains(role))
                problems.Add(new SchemaProblem(line, $"{path}.role", $"unknown role '{role}'; expected system, user or assistant"));
            RequireString(message, "content", line, problems, allowEmpty: true);
        }
    }

    public static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };
}
