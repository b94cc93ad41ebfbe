using System.Text;
using System.Text.Json;

namespace Pipeline.Contracts.Schemas.Validation;

/// <summary>
/// Streams a JSONL file line by line and returns every problem with its line number; one bad line
/// never hides the problems (or the good records) after it.
/// </summary>
public static class JsonlValidator
{
    public static async Task<IReadOnlyList<SchemaProblem>> ValidateAsync(
        Stream jsonl, IRecordSchema schema, int maxLineBytes = 8 * 1024 * 1024, CancellationToken cancellationToken = default)
    {
        var problems = new List<SchemaProblem>();
        using var reader = new StreamReader(jsonl, new UTF8Encoding(false, throwOnInvalidBytes: false));
        long line = 0;
        while (await reader.ReadLineAsync(cancellationToken) is { } text)
        {
            line++;
            ValidateLine(text, line, schema, maxLineBytes, problems);
        }
        return problems;
    }

    public static void ValidateLine(string text, long line, IRecordSchema schema, int maxLineBytes, ICollection<SchemaProblem> problems)
    {
        if (string.IsNullOrWhiteSpace(text)) return;
        if (Encoding.UTF8.GetByteCount(text) > maxLineBytes)
        {
            problems.Add(new SchemaProblem(line, "$", $"line is longer than the {maxLineBytes}-byte limit"));
            return;
        }
        try
        {
            using var document = JsonDocument.Parse(text);
            schema.Check(document.RootElement, line, problems);
        }
        catch (JsonException ex)
        {
            problems.Add(new SchemaProblem(line, "$", $"malformed JSON: {ex.Message}"));
        }
    }
}
