using Pipeline.Ingest.Processing;

namespace Pipeline.Ingest.Reports;

/// <summary>The corpus report of one ingest run, as the Llama 2 paper's §4.1 reports its pretraining data.</summary>
public sealed record CorpusReport
{
    public required Guid RunId { get; init; }
    public required DocumentCounts Documents { get; init; }
    /// <summary>Language of every parsed document (Table 10), by count.</summary>
    public required IReadOnlyDictionary<string, long> Languages { get; init; }
    public required IReadOnlyDictionary<string, long> KeptLanguages { get; init; }
    /// <summary>Why documents were dropped ("filter:rule"), by count.</summary>
    public required IReadOnlyDictionary<string, long> Drops { get; init; }
    public required PiiSummary Pii { get; init; }
    public required ToxicitySummary Toxicity { get; init; }
    public required DemographicsSummary Demographics { get; init; }
    public required IReadOnlyList<ShardSummary> Shards { get; init; }

    public static CorpusReport Build(Guid runId, IReadOnlyList<ShardResult> shards, double toxicThreshold)
    {
        var total = new ShardStats();
        foreach (var shard in shards) total.Merge(shard.Stats);
        var english = Math.Max(1, total.EnglishDocuments);
        return new CorpusReport
        {
            RunId = runId,
            Documents = new DocumentCounts(total.Read, total.Kept, total.Rejected, total.Quarantined, total.BytesRead, total.BytesKept),
            Languages = Sorted(total.Languages),
            KeptLanguages = Sorted(total.KeptLanguages),
            Drops = Sorted(total.Drops),
            Pii = new PiiSummary(total.DocumentsWithPii, Sorted(total.Pii)),
            Toxicity = new ToxicitySummary(toxicThreshold, total.ToxicDocuments, total.Kept == 0 ? 0 : (double)total.ToxicDocuments / total.Kept, total.ToxicityHistogram),
            Demographics = new DemographicsSummary(
                total.EnglishDocuments,
                Shares(total.Pronouns, english),
                Shares(total.IdentityAxes, english),
                total.IdentityTerms.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(p => p.Key, p => Shares(p.Value, english))),
            Shards = shards.OrderBy(s => s.ShardId, StringComparer.Ordinal)
                .Select(s => new ShardSummary(s.ShardId, s.Source.Name, s.Stats.Read, s.Stats.Kept, s.Stats.Rejected, s.Stats.Quarantined, s.Kept.Name, s.Rejected?.Name, s.Quarantined?.Name))
                .ToList(),
        };
    }

    private static IReadOnlyDictionary<string, long> Sorted(Dictionary<string, long> counts) =>
        counts.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).ToDictionary(p => p.Key, p => p.Value);

    private static IReadOnlyDictionary<string, TermShare> Shares(Dictionary<string, long> counts, long documents) =>
        counts.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).ToDictionary(p => p.Key, p => new TermShare(p.Value, Math.Round((double)p.Value / documents, 4)));
}

public sealed record DocumentCounts(long Read, long Kept, long Rejected, long Quarantined, long BytesRead, long BytesKept);

public sealed record PiiSummary(long DocumentsWithPii, IReadOnlyDictionary<string, long> Counts);

/// <summary>Share of kept documents scoring at or above the threshold (the paper: about 0.2 % at 0.5).</summary>
public sealed record ToxicitySummary(double Threshold, long ToxicDocuments, double ToxicShare, long[] Histogram);

/// <summary>Document shares over the kept English documents (Table 9).</summary>
public sealed record DemographicsSummary(
    long EnglishDocuments,
    IReadOnlyDictionary<string, TermShare> Pronouns,
    IReadOnlyDictionary<string, TermShare> IdentityAxes,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, TermShare>> IdentityTerms);

public sealed record TermShare(long Documents, double Share);

public sealed record ShardSummary(string ShardId, string Source, long Read, long Kept, long Rejected, long Quarantined, string KeptBlob, string? RejectedBlob, string? QuarantineBlob);
