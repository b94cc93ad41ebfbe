using System.Text.Json;

namespace Pipeline.Contracts.Schemas.Validation;

/// <summary><c>{id, text, source?, meta?}</c>; the text field name is configurable.</summary>
public sealed class DocumentSchema(string textField = "text") : IRecordSchema
{
    public string Name => "document";

    public void Check(JsonElement record, long line, ICollection<SchemaProblem> problems)
    {
        if (!JsonFieldChecks.RequireObject(record, line, problems)) return;
        if (record.TryGetProperty("id", out var id) && id.ValueKind is not (JsonValueKind.String or JsonValueKind.Number))
            problems.Add(new SchemaProblem(line, "id", $"must be a string or number, found {JsonFieldChecks.Describe(id.ValueKind)}"));
        else if (!record.TryGetProperty("id", out _))
            problems.Add(new SchemaProblem(line, "id", "is required"));
        JsonFieldChecks.RequireString(record, textField, line, problems);
        JsonFieldChecks.OptionalString(record, "source", line, problems);
        if (record.TryGetProperty("meta", out var meta) && meta.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
            problems.Add(new SchemaProblem(line, "meta", $"must be an object, found {JsonFieldChecks.Describe(meta.ValueKind)}"));
    }
}
