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

    /// <summary>ScottPlot's first palette colour, which bars built one by one do not get by themselves.</summary>
    private static readonly Color BarColor = Color.FromHex("#1f77b4");

    private static double Percent(long value, long total) => total <= 0 ? 0 : 100.0 * value / total;

    /// <summary>
    /// Horizontal bars, the first entry at the top, labels beside them: rule names run to 40 characters,
    /// and rotated labels under vertical bars were clipped at the image's edges whatever room was kept.
    /// The image grows with the number of bars so each keeps a readable height.
    /// </summary>
    private static byte[] Bars(string title, IReadOnlyDictionary<string, double> values, string unit)
    {
        var plot = new Plot();
        var entries = values.Take(25).ToList();
        if (entries.Count == 0) entries.Add(new KeyValuePair<string, double>("(none)", 0));
        var bars = entries.Select((e, i) => new Bar { Position = entries.Count - 1 - i, Value = e.Value, Size = 0.7, FillColor = BarColor }).ToList();
        plot.Add.Bars(bars).Horizontal = true;
        var ticks = entries.Select((e, i) => new Tick(entries.Count - 1 - i, e.Key)).ToArray();
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks);
        plot.Axes.Left.MajorTickStyle.Length = 0;
        plot.Axes.Margins(left: 0);
        plot.Axes.Bottom.Label.Text = unit;
        plot.Title(title);
        return plot.GetImageBytes(900, Math.Max(300, 110 + 30 * entries.Count), ImageFormat.Png);
    }
}
