namespace Pipeline.Ingest.Steps;

public sealed class ToxicityOptions
{
    /// <summary>Like the paper: measure by default; drop documents scoring at or above <see cref="Threshold"/> only when set.</summary>
    public bool Filter { get; set; }
    public double Threshold { get; set; } = 0.5;
    /// <summary>Weight of a "likely profane" (2) and a "maybe profane" (1) word.</summary>
    public double StrongWeight { get; set; } = 1.0;
    public double MildWeight { get; set; } = 0.4;
    /// <summary>Weighted hits per 100 words at which the score reaches 1 - 1/e (about 0.63); at 3, one strong word in 50 words stays just below 0.5.</summary>
    public double HitsPer100WordsScale { get; set; } = 3.0;
}
