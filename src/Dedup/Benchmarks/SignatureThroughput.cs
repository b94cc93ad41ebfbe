using System.Diagnostics;
using System.Text;
using Pipeline.Dedup.Core;

namespace Pipeline.Dedup.Benchmarks;

/// <summary>Single-thread fingerprinting speed (normalise + shingle + MinHash) in MB of UTF-8 text per second: the median of five passes.</summary>
public static class SignatureThroughput
{
    public static SignatureMeasurement Measure(IReadOnlyList<string> texts, DedupSettings settings)
    {
        var fingerprinter = new Fingerprinter(settings);
        // A full untimed pass first, so tiered JIT has produced optimised code for every call site.
        foreach (var text in texts) fingerprinter.Compute(text);
        long bytes = 0;
        foreach (var text in texts) bytes += Encoding.UTF8.GetByteCount(text);
        // Five timed passes, the median reported: one pass lasts a fraction of a second, so a single
        // one swings with whatever else the machine (or this process's JIT and GC threads) is doing.
        using var process = Process.GetCurrentProcess();
        var passes = new List<(double Wall, double Cpu)>();
        for (var pass = 0; pass < 5; pass++)
        {
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            foreach (var text in texts) fingerprinter.Compute(text);
            clock.Stop();
            process.Refresh();
            // CPU seconds, not wall seconds, make "per core" honest on a machine other processes share.
            passes.Add((clock.Elapsed.TotalSeconds, (process.TotalProcessorTime - cpuBefore).TotalSeconds));
        }
        var (wallSeconds, cpuSeconds) = passes.OrderBy(p => p.Wall).ElementAt(passes.Count / 2);

        // MinHash alone, over precomputed shingles: what the vectorised permutation loop costs.
        var hasher = new MinHasher(settings.Permutations, settings.Seed);
        var shingler = new Shingler(settings.Shingles);
        var normalizer = new TextNormalizer(settings.Normalization);
        var sets = texts.Take(2000).Select(t => { var l = new List<ulong>(); shingler.Hash(normalizer.Normalize(t), l); return l.ToArray(); }).ToList();
        var signature = new uint[settings.Permutations];
        long shingles = sets.Sum(s => (long)s.Length);
        var minhashClock = Stopwatch.StartNew();
        foreach (var set in sets) hasher.Compute(set, signature);
        minhashClock.Stop();

        return new SignatureMeasurement(texts.Count, bytes, wallSeconds, bytes / 1e6 / wallSeconds, bytes / 1e6 / cpuSeconds,
            shingles / minhashClock.Elapsed.TotalSeconds / 1e6);
    }
}

public sealed record SignatureMeasurement(int Documents, long Bytes, double Seconds, double MegabytesPerSecond, double MegabytesPerCpuSecond, double MillionShinglesPerSecondMinHashOnly);
