using Pipeline.Ingest.Processing;

namespace Pipeline.Ingest.Tests.Chain;

/// <summary>
/// The chain's decisions and annotations over the bundled corpus (plus seeded stress variants of it)
/// must stay what they were when chain-digest.tsv was recorded, before the speed work: faster must
/// not mean different. Set INGEST_WRITE_CHAIN_DIGEST to a path to record a new digest there.
/// </summary>
public sealed class ChainGoldenTests
{
    private static readonly string DigestPath = Path.Combine(AppContext.BaseDirectory, "Chain", "chain-digest.tsv");

    [Fact]
    public async Task Every_decision_and_annotation_matches_the_recorded_digest()
    {
        var lines = await DigestLinesAsync();
        if (Environment.GetEnvironmentVariable("INGEST_WRITE_CHAIN_DIGEST") is { Length: > 0 } target)
        {
            await File.WriteAllLinesAsync(target, lines);
            return;
        }
        var expected = await File.ReadAllLinesAsync(DigestPath);
        Assert.Equal(expected.Length, lines.Count);
        var differing = expected.Zip(lines).Where(pair => !ChainDigest.Same(pair.First, pair.Second)).Take(5)
            .Select(pair => $"expected {pair.First}\nactual   {pair.Second}").ToList();
        Assert.True(differing.Count == 0, string.Join("\n\n", differing));
    }

    private static async Task<List<string>> DigestLinesAsync()
    {
        var documents = await Samples.LoadCorpusWithStressAsync(600, seed: 7);
        var englishOnly = new IngestChain(new IngestOptions(), ["en"]);
        var all = new IngestChain(new IngestOptions(), []);
        var lines = new List<string>();
        foreach (var document in documents)
        {
            lines.Add(ChainDigest.Of(all, document));
        }
        lines.AddRange(documents.Take(50).Select(d => "en-only " + ChainDigest.Of(englishOnly, d)));
        return lines;
    }
}
