namespace Pipeline.Model.Generation;

/// <summary>
/// One seeded random stream per row of a Generate call, derived from the seed and the row's index.
/// A row's samples therefore do not depend on which rows follow it in the batch, and a seeded run
/// repeats exactly on any machine. System.Random with a seed is a fixed, documented-stable algorithm.
/// </summary>
internal sealed class RowRandom(long seed, int row)
{
    // Strictly below 1, so u * total stays below the total even after float32 rounding.
    private const double Below = 1 - 1e-6;

    private readonly Random random = new(unchecked((int)(((ulong)seed * 0x9E3779B97F4A7C15UL + (ulong)row * 0xBF58476D1CE4E5B9UL) >> 33)));

    public float Next() => (float)(random.NextDouble() * Below);
}
