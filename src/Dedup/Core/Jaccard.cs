namespace Pipeline.Dedup.Core;

public static class Jaccard
{
    /// <summary>Exact Jaccard of two sorted, distinct hash sets.</summary>
    public static double Exact(ReadOnlySpan<ulong> x, ReadOnlySpan<ulong> y)
    {
        if (x.IsEmpty && y.IsEmpty) return 1;
        int i = 0, j = 0, shared = 0;
        while (i < x.Length && j < y.Length)
        {
            if (x[i] == y[j]) { shared++; i++; j++; }
            else if (x[i] < y[j]) i++;
            else j++;
        }
        return (double)shared / (x.Length + y.Length - shared);
    }

    /// <summary>The MinHash estimate: the share of signature slots that agree.</summary>
    public static double Estimate(ReadOnlySpan<uint> x, ReadOnlySpan<uint> y)
    {
        if (x.Length != y.Length) throw new ArgumentException("Signatures differ in length.");
        var equal = 0;
        for (var i = 0; i < x.Length; i++) if (x[i] == y[i]) equal++;
        return (double)equal / x.Length;
    }
}
