namespace Pipeline.Ingest.Steps;

/// <summary>Why a filter dropped a document: "filter:rule", plus the measured value for the rejects file.</summary>
public sealed record FilterVerdict(string Filter, string Rule, double Value, double Threshold)
{
    public string Reason => $"{Filter}:{Rule}";
    public override string ToString() => $"{Reason} ({Value:0.###} vs {Threshold:0.###})";
}
