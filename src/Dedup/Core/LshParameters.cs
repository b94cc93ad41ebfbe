namespace Pipeline.Dedup.Core;

/// <summary>
/// b bands of r rows: two documents become candidates when any band of their signatures matches
/// completely, which happens with probability <c>1 - (1 - J^r)^b</c> for Jaccard similarity J.
/// </summary>
public sealed record LshParameters(int Bands, int Rows)
{
    /// <summary>Similarities at which the CLI prints the S-curve.</summary>
    public static readonly double[] ReportedSimilarities = [0.5, 0.7, 0.8, 0.9];

    public double CandidateProbability(double jaccard) => 1 - Math.Pow(1 - Math.Pow(jaccard, Rows), Bands);

    public IReadOnlyList<SCurvePoint> SCurve()
        => ReportedSimilarities.Select(j => new SCurvePoint(j, CandidateProbability(j))).ToList();

    /// <summary>
    /// The (b, r) with b*r &lt;= permutations that minimises the false-positive area (candidate
    /// probability below the threshold) plus the false-negative area (miss probability above it),
    /// equally weighted — the rule datasketch uses, so our choices can be compared with its.
    /// </summary>
    public static LshParameters Choose(double threshold, int permutations)
    {
        if (threshold is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(threshold), "Threshold must lie strictly between 0 and 1.");
        ArgumentOutOfRangeException.ThrowIfLessThan(permutations, 1);
        LshParameters? best = null;
        var bestError = double.MaxValue;
        for (var bands = 1; bands <= permutations; bands++)
        {
            for (var rows = 1; bands * rows <= permutations; rows++)
            {
                var candidate = new LshParameters(bands, rows);
                var error = Integrate(candidate.CandidateProbability, 0, threshold)
                          + Integrate(j => 1 - candidate.CandidateProbability(j), threshold, 1);
                if (error < bestError)
                {
                    bestError = error;
                    best = candidate;
                }
            }
        }
        return best!;
    }

    private static double Integrate(Func<double, double> f, double from, double to)
    {
        const int steps = 200;
        var width = (to - from) / steps;
        var sum = 0.0;
        for (var i = 0; i < steps; i++) sum += f(from + (i + 0.5) * width);
        return sum * width;
    }
}

public sealed record SCurvePoint(double Jaccard, double CandidateProbability);
