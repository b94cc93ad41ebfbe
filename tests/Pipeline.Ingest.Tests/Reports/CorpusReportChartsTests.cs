using System.Buffers.Binary;
using Pipeline.Ingest.Reports;

namespace Pipeline.Ingest.Tests.Reports;

public sealed class CorpusReportChartsTests
{
    private static CorpusReport ReportWithDropRules(int rules) => new()
    {
        RunId = Guid.NewGuid(),
        Documents = new DocumentCounts(100, 60, 40, 0, 1000, 600),
        Languages = new Dictionary<string, long> { ["en"] = 90, ["de"] = 10 },
        KeptLanguages = new Dictionary<string, long> { ["en"] = 60 },
        Drops = Enumerable.Range(0, rules).ToDictionary(i => $"gopher_repetition:duplicate_paragraphs_{i:D2}", i => (long)(rules - i)),
        Pii = new PiiSummary(0, new Dictionary<string, long>()),
        Toxicity = new ToxicitySummary(0.5, 0, 0, new long[10]),
        Demographics = new DemographicsSummary(60, new Dictionary<string, TermShare>(), new Dictionary<string, TermShare>(), new Dictionary<string, IReadOnlyDictionary<string, TermShare>>()),
        Shards = [],
    };

    /// <summary>Width and height from the PNG's IHDR chunk (big-endian, after the 8-byte signature and the chunk's length and type).</summary>
    private static (int Width, int Height) Size(byte[] png)
    {
        Assert.True(png.AsSpan().StartsWith(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }));
        return (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
    }

    [Fact]
    public void Every_chart_is_a_png_and_grows_with_its_bars_so_25_rules_stay_readable()
    {
        var few = CorpusReportCharts.Render(ReportWithDropRules(2));
        var many = CorpusReportCharts.Render(ReportWithDropRules(25));

        Assert.Equal(["demographics-identity.png", "demographics-pronouns.png", "filter-drops.png", "languages.png", "pii.png", "toxicity.png"], many.Keys.Order(StringComparer.Ordinal));
        Assert.All(many.Values, png => Assert.Equal(900, Size(png).Width));
        var (_, fewHeight) = Size(few["filter-drops.png"]);
        var (_, manyHeight) = Size(many["filter-drops.png"]);
        Assert.Equal(300, fewHeight);
        // 30 pixels a bar: 25 bars of 40-character rules would share 520 pixels with the title and axis otherwise.
        Assert.True(manyHeight >= 25 * 30, $"{manyHeight} px for 25 bars");
        // An empty chart (no PII found) still renders, as one "(none)" bar.
        Assert.Equal(300, Size(many["pii.png"]).Height);
    }
}
