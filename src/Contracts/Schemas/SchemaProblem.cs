namespace Pipeline.Contracts.Schemas;

/// <summary>One thing wrong with one line of a JSONL file; Line is 1-based.</summary>
public sealed record SchemaProblem(long Line, string Field, string Message)
{
    public override string ToString() => $"line {Line}: {Field}: {Message}";
}
