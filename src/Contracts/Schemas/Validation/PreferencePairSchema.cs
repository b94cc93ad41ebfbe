using System.Text.Json;

namespace Pipeline.Contracts.Schemas.Validation;

/// <summary>
/// <c>{prompt | messages, chosen, rejected, strength, safety?, category?}</c>: exactly one of prompt
/// and messages, and labels from the fixed vocabularies in <see cref="PreferenceLabels"/>.
/// </summary>
public sealed class PreferencePairSchema : IRecordSchema
{
    public string Name => "preference-pair";

    public void Check(JsonElement record, long line, ICollection<SchemaProblem> problems)
    {
        if (!JsonFieldChecks.RequireObject(record, line, problems)) return;
        var hasPrompt = record.TryGetProperty("prompt", out var prompt) && prompt.ValueKind != JsonValueKind.Null;
        var hasMessages = record.TryGetProperty("messages", out var messages) && messages.ValueKind != JsonValueKind.Null;
        if (hasPrompt == hasMessages)
            problems.Add(new SchemaProblem(line, "prompt|messages", hasPrompt ? "give prompt or messages, not both" : "prompt or messages is required"));
        if (hasPrompt) JsonFieldChecks.RequireString(record, "prompt", line, problems);
        if (hasMessages) JsonFieldChecks.CheckMessages(messages, "messages", line, problems);
        var chosen = JsonFieldChecks.RequireString(record, "chosen", line, problems);
        var rejected = JsonFieldChecks.RequireString(record, "rejected", line, problems);
        if (chosen is not null && chosen == rejected)
            problems.Add(new SchemaProblem(line, "rejected", "is identical to chosen"));
        var strength = JsonFieldChecks.RequireString(record, "strength", line, problems);
        if (strength is not null && !PreferenceLabels.Strengths.Contains(strength))
            problems.Add(new SchemaProblem(line, "strength", $"unknown label '{strength}'; expected one of {string.Join(", ", PreferenceLabels.Strengths)}"));
        JsonFieldChecks.OptionalLabel(record, "safety", PreferenceLabels.SafetyLabels, line, problems);
        JsonFieldChecks.OptionalLabel(record, "category", PreferenceLabels.Categories, line, problems);
    }
}
