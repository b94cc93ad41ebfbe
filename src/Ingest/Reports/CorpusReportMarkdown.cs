using System.Globalization;
using System.Text;

namespace Pipeline.Ingest.Reports;

internal static class CorpusReportMarkdown
{
    public static string Render(CorpusReport report)
    {
        var md = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        var parsed = Math.Max(1, report.Documents.Read - report.Documents.Quarantined);
        md.AppendLine(inv, $"# Corpus report, run {report.RunId:N}");
        md.AppendLine();
        md.AppendLine(inv, $"Read {report.Documents.Read} documents ({report.Documents.BytesRead / 1e6:0.00} MB): kept {report.Documents.Kept}, rejected {report.Documents.Rejected}, quarantined {report.Documents.Quarantined}.");
        md.AppendLine();
        md.AppendLine("## Languages (like Table 10)");
        md.AppendLine();
        md.AppendLine("![languages](languages.png)");
        md.AppendLine();
        md.AppendLine("| language | documents | % | kept |");
        md.AppendLine("|---|---:|---:|---:|");
        foreach (var (language, count) in report.Languages)
            md.AppendLine(inv, $"| {language} | {count} | {100.0 * count / parsed:0.00} | {report.KeptLanguages.GetValueOrDefault(language)} |");
        md.AppendLine();
        md.AppendLine("## Filter drops");
        md.AppendLine();
        md.AppendLine("![filter drops](filter-drops.png)");
        md.AppendLine();
        md.AppendLine("| reason | documents |");
        md.AppendLine("|---|---:|");
        foreach (var (reason, count) in report.Drops) md.AppendLine(inv, $"| {reason} | {count} |");
        md.AppendLine();
        md.AppendLine("## PII (kept documents)");
        md.AppendLine();
        md.AppendLine(inv, $"{report.Pii.DocumentsWithPii} kept documents had PII replaced.");
        md.AppendLine();
        md.AppendLine("| type | occurrences |");
        md.AppendLine("|---|---:|");
        foreach (var (kind, count) in report.Pii.Counts) md.AppendLine(inv, $"| {kind} | {count} |");
        md.AppendLine();
        md.AppendLine("## Toxicity (kept documents, measured not filtered unless configured)");
        md.AppendLine();
        md.AppendLine(inv, $"{report.Toxicity.ToxicDocuments} documents ({report.Toxicity.ToxicShare:P2}) score >= {report.Toxicity.Threshold} (the paper: about 0.2 %).");
        md.AppendLine();
        md.AppendLine("![toxicity](toxicity.png)");
        md.AppendLine();
        md.AppendLine(inv, $"## Demographics (like Table 9; {report.Demographics.EnglishDocuments} kept English documents)");
        md.AppendLine();
        md.AppendLine("![pronouns](demographics-pronouns.png) ![identity](demographics-identity.png)");
        md.AppendLine();
        md.AppendLine("| pronoun family | documents | % |");
        md.AppendLine("|---|---:|---:|");
        foreach (var (family, share) in report.Demographics.Pronouns) md.AppendLine(inv, $"| {family} | {share.Documents} | {share.Share * 100:0.00} |");
        md.AppendLine();
        md.AppendLine("| axis | documents | % | top terms (% of documents) |");
        md.AppendLine("|---|---:|---:|---|");
        foreach (var (axis, share) in report.Demographics.IdentityAxes)
        {
            var terms = report.Demographics.IdentityTerms.TryGetValue(axis, out var t)
                ? string.Join(", ", t.Take(5).Select(p => string.Create(inv, $"{p.Key} {p.Value.Share * 100:0.0}")))
                : "";
            md.AppendLine(inv, $"| {axis} | {share.Documents} | {share.Share * 100:0.00} | {terms} |");
        }
        md.AppendLine();
        md.AppendLine("## Shards");
        md.AppendLine();
        md.AppendLine("| shard | source | read | kept | rejected | quarantined |");
        md.AppendLine("|---|---|---:|---:|---:|---:|");
        foreach (var shard in report.Shards)
            md.AppendLine(inv, $"| {shard.ShardId} | {shard.Source} | {shard.Read} | {shard.Kept} | {shard.Rejected} | {shard.Quarantined} |");
        return md.ToString();
    }
}
