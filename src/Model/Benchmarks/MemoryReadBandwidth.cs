using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using Pipeline.Model.Kernels;

namespace Pipeline.Model.Benchmarks;

/// <summary>
/// The rate at which this machine streams memory into the cores: a buffer larger than any cache summed
/// by <c>threads</c> threads, the best of a few passes. A decode step reads every weight (and the KV
/// cache) once and does two flops per weight, so its speed is bounded by this rate, not by the matmul
/// peak; the benchmark sets each decode rate beside it.
/// </summary>
public static unsafe class MemoryReadBandwidth
{
    /// <summary>256 MiB: more than the last-level cache of the machines we run on (105 MiB on the development VM).</summary>
    public const long DefaultBytes = 256L << 20;

    private const int Passes = 5;

    /// <summary>Gigabytes (1e9 bytes) per second read by <paramref name="threads"/> threads.</summary>
    public static double GigabytesPerSecond(int threads, long bytes = DefaultBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(bytes, 1L << 20);
        // Up to 4 GiB: each part's float lanes then count exactly (the check below relies on it).
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bytes, 4L << 30);
        using var buffer = new NativeFloats(bytes / sizeof(float));
        // Every element 1 (which also touches every page before timing), in spans of at most int.MaxValue.
        for (long i = 0; i < buffer.Length; i += int.MaxValue)
            new Span<float>(buffer.Pointer + i, (int)Math.Min(buffer.Length - i, int.MaxValue)).Fill(1f);
        var partSums = new double[threads * 8];
        var best = double.MaxValue;
        fixed (double* sums = partSums)
        {
            var job = new SumJob { Data = buffer.Pointer, Length = buffer.Length, Parts = partSums.Length, PartSums = sums };
            for (var pass = 0; pass < Passes; pass++)
            {
                var clock = Stopwatch.StartNew();
                KernelThreads.Run(job.Parts, threads, &SumPart, &job);
                best = Math.Min(best, clock.Elapsed.TotalSeconds);
                // Every element is 1, so the parts must add up to the length: this also keeps the reads from being optimised away.
                if (partSums.Sum() != buffer.Length) throw new InvalidOperationException($"bandwidth pass summed {partSums.Sum()}, expected {buffer.Length}");
            }
        }
        return buffer.Length * sizeof(float) / best / 1e9;
    }

    private struct SumJob
    {
        public float* Data;
        public long Length;
        public int Parts;
        public double* PartSums;
    }

    private static void SumPart(void* state, int part)
    {
        ref var job = ref Unsafe.AsRef<SumJob>(state);
        var (first, end) = (job.Length * part / job.Parts, job.Length * (part + 1) / job.Parts);
        // Four independent sums so the adds never wait on each other; the loads set the pace.
        Vector<float> a = default, b = default, c = default, d = default;
        var width = Vector<float>.Count;
        var i = first;
        for (; i + 4 * width <= end; i += 4 * width)
        {
            a += Vector.Load(job.Data + i);
            b += Vector.Load(job.Data + i + width);
            c += Vector.Load(job.Data + i + 2 * width);
            d += Vector.Load(job.Data + i + 3 * width);
        }
        var lanes = a + b + c + d;
        var sum = 0.0;
        for (var k = 0; k < width; k++) sum += lanes[k];
        for (; i < end; i++) sum += job.Data[i];
        job.PartSums[part] = sum;
    }
}
