namespace Pipeline.Ingest.Steps;

/// <summary>Which pronoun families and identity terms (by axis) one document mentions at least once.</summary>
public sealed record DemographicHits(IReadOnlyList<string> PronounFamilies, IReadOnlyDictionary<string, IReadOnlyList<string>> IdentityTerms)
{
    public static readonly DemographicHits None = new([], new Dictionary<string, IReadOnlyList<string>>());
}
