namespace Pipeline.Dedup.Contamination;

/// <summary>
/// Per-benchmark result. The paper's four buckets overlap by design: every sample is clean or not
/// clean (20 % cut) and, separately, not dirty or dirty (80 % cut).
/// </summary>
public sealed record BenchmarkContamination(string Name, int Samples, int Clean, int NotClean, int NotDirty, int Dirty, IReadOnlyList<SampleContamination> Details);

/// <summary>
/// One sample: the share of its tokens inside a matched span, its bucket — "clean" (&lt; 20 %),
/// "dirty" (&gt;= 80 %), otherwise "not_clean" (which is also not dirty) — and the corpus documents that matched.
/// </summary>
public sealed record SampleContamination(string Id, int Tokens, double ContaminatedFraction, string Bucket, int MatchingDocuments, IReadOnlyList<string> MatchingDocumentIds);

public sealed record ContaminationReport(int MinMatchTokens, int SkipBudget, long CorpusDocuments, IReadOnlyList<BenchmarkContamination> Benchmarks)
{
    /// <summary>Ids of corpus documents that matched any sample: what decontamination removes.</summary>
    public IReadOnlyList<string> ContaminatingDocuments { get; init; } = [];
}
