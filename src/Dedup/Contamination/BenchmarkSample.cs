using System.Text;
using System.Text.Json;

namespace Pipeline.Dedup.Contamination;

/// <summary>One evaluation sample, verbalised into the text a model would see.</summary>
public sealed record BenchmarkSample(string Id, string Text)
{
    /// <summary>
    /// Parses <c>{id, text}</c> or <c>{id, question, choices?, answer?}</c>; a multiple-choice sample is
    /// verbalised as question, choices and answer (an integer answer picks the choice it indexes).
    /// </summary>
    public static BenchmarkSample Parse(string line, int lineNumber)
    {
        using var document = JsonDocument.Parse(line);
        var root = document.RootElement;
        var id = root.TryGetProperty("id", out var i) ? i.ValueKind == JsonValueKind.String ? i.GetString()! : i.GetRawText() : $"line-{lineNumber}";
        if (root.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String) return new BenchmarkSample(id, t.GetString()!);
        if (!root.TryGetProperty("question", out var q) || q.ValueKind != JsonValueKind.String)
            throw new InvalidDataException($"Benchmark line {lineNumber}: needs a string 'text' or 'question'.");

        var text = new StringBuilder(q.GetString());
        var choices = root.TryGetProperty("choices", out var c) && c.ValueKind == JsonValueKind.Array
            ? c.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.String ? x.GetString()! : x.GetRawText()).ToList()
            : [];
        foreach (var choice in choices) text.Append(' ').Append(choice);
        if (root.TryGetProperty("answer", out var a))
        {
            var answer = a.ValueKind == JsonValueKind.Number && a.TryGetInt32(out var index) && index >= 0 && index < choices.Count
                ? choices[index]
                : a.ValueKind == JsonValueKind.String ? a.GetString()! : a.GetRawText();
            text.Append(' ').Append(answer);
        }
        return new BenchmarkSample(id, text.ToString());
    }
}
