using System.Text.Json;

namespace Pipeline.Contracts.Schemas.Validation;

/// <summary><c>{messages:[{role, content}], category?}</c>.</summary>
public sealed class SftExampleSchema : IRecordSchema
{
    public string Name => "sft-example";

    public void Check(JsonElement record, long line, ICollection<SchemaProblem> problems)
    {
        if (!JsonFieldChecks.RequireObject(record, line, problems)) return;
        if (!record.TryGetProperty("messages", out var messages))
            problems.Add(new SchemaProblem(line, "messages", "is required"));
        else
            JsonFieldChecks.CheckMessages(messages, "messages", line, problems);
        JsonFieldChecks.OptionalLabel(record, "category", PreferenceLabels.Categories, line, problems);
    }
}
