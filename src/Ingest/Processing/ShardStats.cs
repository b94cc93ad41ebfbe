namespace Pipeline.Ingest.Processing;

/// <summary>
/// Counts of one shard (or, merged, of a whole run). Languages cover every parsed document, like the
/// paper's Table 10; PII, toxicity and demographics cover the kept documents, the corpus a model trains on.
/// </summary>
public sealed class ShardStats
{
    public long Read { get; set; }
    public long Kept { get; set; }
    public long Rejected { get; set; }
    public long Quarantined { get; set; }
    public long BytesRead { get; set; }
    public long BytesKept { get; set; }
    public Dictionary<string, long> Languages { get; set; } = [];
    public Dictionary<string, long> KeptLanguages { get; set; } = [];
    public Dictionary<string, long> Drops { get; set; } = [];
    public Dictionary<string, long> Pii { get; set; } = [];
    public long DocumentsWithPii { get; set; }
    public long ToxicDocuments { get; set; }
    /// <summary>Kept documents per toxicity decile [0, 0.1), ..., [0.9, 1].</summary>
    public long[] ToxicityHistogram { get; set; } = new long[10];
    /// <summary>Kept English documents: the denominator of the demographic shares.</summary>
    public long EnglishDocuments { get; set; }
    public Dictionary<string, long> Pronouns { get; set; } = [];
    public Dictionary<string, long> IdentityAxes { get; set; } = [];
    public Dictionary<string, Dictionary<string, long>> IdentityTerms { get; set; } = [];
    public long C4LinesRemoved { get; set; }

    public void AddQuarantined() { Read++; Quarantined++; }

    public void Add(ProcessedDocument document, long bytes, double toxicThreshold)
    {
        Read++;
        BytesRead += bytes;
        Increment(Languages, document.Language.Language);
        if (!document.Kept)
        {
            Rejected++;
            Increment(Drops, document.Rejection!.Reason);
            return;
        }
        Kept++;
        BytesKept += bytes;
        C4LinesRemoved += document.C4LinesRemoved;
        Increment(KeptLanguages, document.Language.Language);
        if (document.Pii is { Total: > 0 } pii)
        {
            DocumentsWithPii++;
            Add(Pii, "email", pii.Emails);
            Add(Pii, "ip_address", pii.IpAddresses);
            Add(Pii, "credit_card", pii.CreditCards);
            Add(Pii, "phone", pii.Phones);
        }
        if (document.Toxicity >= toxicThreshold) ToxicDocuments++;
        ToxicityHistogram[Math.Min(9, (int)(document.Toxicity * 10))]++;
        if (document.Language.Language != "en") return;
        EnglishDocuments++;
        foreach (var family in document.Demographics.PronounFamilies) Increment(Pronouns, family);
        foreach (var (axis, terms) in document.Demographics.IdentityTerms)
        {
            Increment(IdentityAxes, axis);
            if (!IdentityTerms.TryGetValue(axis, out var counts)) IdentityTerms[axis] = counts = [];
            foreach (var term in terms) Increment(counts, term);
        }
    }

    public void Merge(ShardStats other)
    {
        Read += other.Read;
        Kept += other.Kept;
        Rejected += other.Rejected;
        Quarantined += other.Quarantined;
        BytesRead += other.BytesRead;
        BytesKept += other.BytesKept;
        DocumentsWithPii += other.DocumentsWithPii;
        ToxicDocuments += other.ToxicDocuments;
        EnglishDocuments += other.EnglishDocuments;
        C4LinesRemoved += other.C4LinesRemoved;
        for (var i = 0; i < ToxicityHistogram.Length && i < other.ToxicityHistogram.Length; i++) ToxicityHistogram[i] += other.ToxicityHistogram[i];
        MergeInto(Languages, other.Languages);
        MergeInto(KeptLanguages, other.KeptLanguages);
        MergeInto(Drops, other.Drops);
        MergeInto(Pii, other.Pii);
        MergeInto(Pronouns, other.Pronouns);
        MergeInto(IdentityAxes, other.IdentityAxes);
        foreach (var (axis, terms) in other.IdentityTerms)
        {
            if (!IdentityTerms.TryGetValue(axis, out var counts)) IdentityTerms[axis] = counts = [];
            MergeInto(counts, terms);
        }
    }

    private static void Increment(Dictionary<string, long> counts, string key) => counts[key] = counts.GetValueOrDefault(key) + 1;

    private static void Add(Dictionary<string, long> counts, string key, long value)
    {
        if (value > 0) counts[key] = counts.GetValueOrDefault(key) + value;
    }

    private static void MergeInto(Dictionary<string, long> target, Dictionary<string, long> source)
    {
        foreach (var (key, value) in source) target[key] = target.GetValueOrDefault(key) + value;
    }
}
