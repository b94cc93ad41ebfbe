namespace Pipeline.Ingest.Sft;

/// <summary>Answer quality rules and near-duplicate settings (section Ingest:Sft).</summary>
public sealed class SftCurationOptions
{
    public int MinAnswerWords { get; set; } = 5;
    public int MaxAnswerWords { get; set; } = 4000;
    /// <summary>Prompts whose word-3-gram MinHash similarity reaches this are near duplicates.</summary>
    public double NearDuplicateJaccard { get; set; } = 0.8;
    public int MaxLineBytes { get; set; } = 1024 * 1024;
}
