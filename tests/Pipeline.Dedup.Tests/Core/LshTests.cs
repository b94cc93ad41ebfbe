using Pipeline.Dedup.Core;

namespace Pipeline.Dedup.Tests.Core;

public sealed class LshTests
{
    [Fact]
    public void Bands_and_rows_for_threshold_0_8_give_a_steep_s_curve_around_it()
    {
        var lsh = LshParameters.Choose(0.8, 128);
        Assert.True(lsh.Bands * lsh.Rows <= 128);
        Assert.True(lsh.CandidateProbability(0.5) < 0.05, $"P(0.5) = {lsh.CandidateProbability(0.5):F3} with {lsh}");
        Assert.True(lsh.CandidateProbability(0.9) > 0.9, $"P(0.9) = {lsh.CandidateProbability(0.9):F3} with {lsh}");
        // The steep part of the curve sits on the threshold: about a coin flip there.
        Assert.InRange(lsh.CandidateProbability(0.8), 0.3, 0.7);
        var curve = lsh.SCurve();
        Assert.Equal([0.5, 0.7, 0.8, 0.9], curve.Select(p => p.Jaccard));
        Assert.True(curve.Zip(curve.Skip(1)).All(pair => pair.First.CandidateProbability < pair.Second.CandidateProbability));
    }

    [Fact]
    public void A_lower_threshold_chooses_fewer_rows_per_band()
    {
        Assert.True(LshParameters.Choose(0.5, 128).Rows < LshParameters.Choose(0.9, 128).Rows);
    }

    [Fact]
    public void Union_find_roots_are_the_smallest_member()
    {
        var sets = new UnionFind(6);
        sets.Union(5, 3);
        sets.Union(3, 4);
        sets.Union(4, 1);
        Assert.Equal([0, 1, 2, 1, 1, 1], Enumerable.Range(0, 6).Select(sets.Find));
        Assert.False(sets.Union(5, 1));
    }
}
