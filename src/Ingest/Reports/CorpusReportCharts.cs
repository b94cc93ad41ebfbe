using ScottPlot;

namespace Pipeline.Ingest.Reports;

/// <summary>Bar charts of the report as PNG bytes, named by the file they are written to.</summary>
internal static class CorpusReportCharts
{
    public static IReadOnlyDictionary<string, byte[]> Render(CorpusReport report)
    {
        var charts = new Dictionary<string, byte[]>
        {
            ["languages.png"] = Bars("Languages (documents, % of read)", report.Languages.ToDictionary(p => p.Key, p => Percent(p.Value, report.Documents.Read - report.Documents.Quarantined)), "%"),
            ["filter-drops.png"] = Bars("Documents dropped, by filter rule", report.Drops.ToDictionary(p => p.Key, p => (double)p.Value), "documents"),
            ["pii.png"] = Bars("PII replaced in kept documents", report.Pii.Counts.ToDictionary(p => p.Key, p => (double)p.Value), "occurrences"),
            ["toxicity.png"] = Bars($"Toxicity of kept documents ({report.Toxicity.ToxicShare:P2} >= {report.Toxicity.Threshold})",
                report.Toxicity.Histogram.Select((count, i) => (Key: $"{i / 10.0:0.0}-{(i + 1) / 10.0:0.0}", Value: (double)count)).ToDictionary(p => p.Key, p => p.Value), "documents"),
            ["demographics-pronouns.png"] = Bars("Pronoun families (% of English documents)", report.Demographics.Pronouns.ToDictionary(p => p.Key, p => p.Value.Share * 100), "%"),
            ["demographics-identity.png"] = Bars("Identity axes (% of English documents)", report.Demographics.IdentityAxes.ToDictionary(p => p.Key, p => p.Value.Share * 100), "%"),
        };
        return charts;
    }

    private static double Percent(long value, long total) => total <= 0 ? 0 : 100.0 * value / total;

    private static byte[] Bars(string title, IReadOnlyDictionary<string, double> values, string unit)
    {
        var plot = new Plot();
        var entries = values.Take(25).ToList();
        if (entries.Count == 0) entries.Add(new KeyValuePair<string, double>("(none)", 0));
        plot.Add.Bars(entries.Select(e => e.Value).ToArray());
        var ticks = entries.Select((e, i) => new Tick(i, e.Key)).ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks);
        plot.Axes.Bottom.TickLabelStyle.Rotation = -45;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleRight;
        // Rotated labels need room below the axis or they are clipped.
        plot.Axes.Bottom.MinimumSize = 170;
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        plot.Axes.Margins(bottom: 0);
        plot.Axes.Left.Label.Text = unit;
        plot.Title(title);
        return plot.GetImageBytes(900, 520, ImageFormat.Png);
    }
}
