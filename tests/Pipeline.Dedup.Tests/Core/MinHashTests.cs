using Pipeline.Dedup.Core;

namespace Pipeline.Dedup.Tests.Core;

public sealed class MinHashTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly DedupSettings Unigrams = new() { Shingles = new ShingleOptions { Size = 1 } };

    /// <summary>Words w{from}..w{to-1}: with unigram shingles, two such texts have a Jaccard we can write down.</summary>
    internal static string Words(int from, int to, string prefix = "w") => string.Join(' ', Enumerable.Range(from, to - from).Select(i => $"{prefix}{i}"));

    [Fact]
    public void Signatures_match_golden_values_so_they_are_stable_across_runs_and_machines()
    {
        var fingerprint = new Fingerprinter(new DedupSettings()).Compute("The Fulton County Grand Jury said Friday an investigation of Atlanta's recent primary election produced no evidence.");
        Assert.Equal(128, fingerprint.Signature.Length);
        Assert.Equal(GoldenFirstEight, fingerprint.Signature.Take(8).ToArray());
        Assert.Equal(GoldenContentHash, fingerprint.ContentHash.ToString("x32"));
    }

    private static readonly uint[] GoldenFirstEight = [697272201, 32628716, 594756679, 486703925, 88587076, 405946980, 134958264, 95949624];
    private const string GoldenContentHash = "97542a121d0b562f98d7959aac0f6c7d";

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void One_pass_fingerprinting_equals_normalise_then_shingle_then_minhash(bool collapse)
    {
        var settings = new DedupSettings { Normalization = NormalizationOptions.Default with { CollapseWhitespace = collapse } };
        var normalizer = new TextNormalizer(settings.Normalization);
        var shingler = new Shingler(settings.Shingles);
        var hasher = new MinHasher(settings.Permutations, settings.Seed);
        foreach (var (_, text) in Support.SampleData.Brown().Take(10).Append(("x", "  Ünïcode—dash, ﬁne;  tabs\there… ok  ")))
        {
            var shingles = new List<ulong>();
            shingler.Hash(normalizer.Normalize(text), shingles);
            Assert.Equal(hasher.Compute(shingles.ToArray()), new Fingerprinter(settings).Compute(text).Signature);
        }
    }

    [Fact]
    public void Vector_and_scalar_paths_agree_with_the_definition()
    {
        var hasher = new MinHasher(20, seed: 7);
        var shingles = Enumerable.Range(0, 300).Select(i => (ulong)i * 0x9E3779B97F4A7C15 + 12345).ToArray();
        var signature = hasher.Compute(shingles);
        var state = 7UL;
        for (var i = 0; i < 20; i++)
        {
            var a = (uint)SplitMix(ref state) | 1;
            var b = (uint)SplitMix(ref state);
            Assert.Equal(shingles.Min(x => a * (uint)(x ^ (x >> 32)) + b), signature[i]);
        }
    }

    [Fact]
    public void Estimated_jaccard_tracks_the_exact_value()
    {
        var fingerprinter = new Fingerprinter(Unigrams);
        var errors = new List<double>();
        for (var overlap = 0; overlap <= 200; overlap += 10)
        {
            // A = w0..w199, B = w(200-overlap)..w(399-overlap): |A∩B| = overlap, |A∪B| = 400 - overlap.
            var exact = overlap / (400.0 - overlap);
            var estimate = Jaccard.Estimate(fingerprinter.Compute(Words(0, 200)).Signature, fingerprinter.Compute(Words(200 - overlap, 400 - overlap)).Signature);
            errors.Add(Math.Abs(estimate - exact));
        }
        output.WriteLine($"MinHash estimate vs exact Jaccard over {errors.Count} pairs: mean |error| {errors.Average():F4}, max {errors.Max():F4}");
        // Standard error of a 128-slot estimate is at most 0.044; the mean absolute error must be well inside it.
        Assert.True(errors.Average() < 0.04, $"mean |error| {errors.Average():F3}");
        Assert.True(errors.Max() < 0.13, $"max |error| {errors.Max():F3}");
    }

    /// <summary>
    /// 40 independent pairs per similarity: with verification nothing below the threshold goes, and
    /// above it the removal rate follows the LSH S-curve (a pair at J is a candidate with probability
    /// 1 - (1 - J^r)^b), so it is checked against that curve rather than against certainty.
    /// </summary>
    [Theory]
    [InlineData(0.97)]
    [InlineData(0.90)]
    [InlineData(0.85)]
    [InlineData(0.78)]
    [InlineData(0.70)]
    [InlineData(0.50)]
    [InlineData(0.30)]
    public void Documents_of_known_jaccard_land_on_the_right_side_of_the_threshold(double jaccard)
    {
        const int pairs = 40;
        // A = w0..w199; B drops d of A's words and adds d new ones: J = (200-d)/(200+d).
        var d = (int)Math.Round(200 * (1 - jaccard) / (1 + jaccard));
        var texts = new List<string>();
        for (var k = 0; k < pairs; k++)
        {
            texts.Add(Words(0, 200, $"p{k}w"));
            texts.Add(Words(d, 200, $"p{k}w") + " " + Words(0, d, $"p{k}x"));
        }
        var dedup = new InMemoryDeduplicator(Unigrams);
        var decisions = dedup.Deduplicate(texts);
        var removed = Enumerable.Range(0, pairs).Count(k => !decisions[2 * k + 1].Kept);
        Assert.All(Enumerable.Range(0, pairs), k => Assert.True(decisions[2 * k].Kept));
        Assert.All(decisions.Where(x => !x.Kept), x => Assert.Equal((x.Index - 1, DuplicateKind.Near), (x.Cluster, x.Kind)));

        var exact = (200.0 - d) / (200 + d);
        var expected = exact >= Unigrams.Threshold ? dedup.Lsh.CandidateProbability(exact) : 0;
        output.WriteLine($"J={exact:F3}: removed {removed}/{pairs}, S-curve expects {expected * pairs:F1}");
        if (exact < Unigrams.Threshold) Assert.Equal(0, removed);
        else Assert.InRange(removed / (double)pairs, expected - 0.2, Math.Min(1, expected + 0.2));
    }

    [Fact]
    public void Near_duplicates_chain_into_one_cluster_that_keeps_the_first_seen()
    {
        var texts = new[] { Words(0, 200), Words(5, 205), Words(500, 700), Words(10, 210) };
        var decisions = new InMemoryDeduplicator(Unigrams).Deduplicate(texts);
        Assert.Equal([true, false, true, false], decisions.Select(d => d.Kept));
        Assert.Equal([0, 0, 2, 0], decisions.Select(d => d.Cluster));
        var summary = ClusterSummary.From(decisions);
        Assert.Equal((4, 2, 0, 2, 1), (summary.DocumentsIn, summary.DocumentsOut, summary.ExactDuplicates, summary.NearDuplicates, summary.Clusters));
        Assert.Equal(1, summary.ClusterSizes[3]);
    }

    private static ulong SplitMix(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }
}
