using System.Text.Json;

namespace Pipeline.Contracts.Schemas.Validation;

/// <summary>Checks one parsed JSONL record and reports every problem (not just the first).</summary>
public interface IRecordSchema
{
    string Name { get; }
    void Check(JsonElement record, long line, ICollection<SchemaProblem> problems);
}
