namespace Pipeline.Orchestrator.Lineage;

/// <summary>Names of the orchestrator's state documents in the lineage container.</summary>
public static class LineageLayout
{
    public const string CurrentPolicy = "policy/current.json";
    public static string Iteration(int number) => $"iterations/{number:D4}.json";
    public static string IterationOfBatch(string batch) => $"iterations/by-batch/{batch}.json";
    public static string Checkpoint(string container, string prefix) => $"checkpoints/{container}/{prefix.TrimEnd('/')}.json";
}
