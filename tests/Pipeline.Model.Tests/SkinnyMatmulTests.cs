using Pipeline.Model.Kernels;
using System.Runtime.Intrinsics;
using static TorchSharp.torch;

namespace Pipeline.Model.Tests;

/// <summary>The decode step's matmul kernel against libtorch's matmul, and its thread hand-off.</summary>
[Collection(TorchCollection.Name)]
public sealed unsafe class SkinnyMatmulTests
{
    private static Tensor Multiply(Tensor x, PackedWeight packed, int threads)
    {
        var y = empty(x.shape[0], packed.OutFeatures);
        fixed (byte* xp = x.bytes)
        fixed (byte* yp = y.bytes)
            SkinnyMatmul.Multiply((float*)xp, (int)x.shape[0], packed, (float*)yp, threads);
        return y;
    }

    [KernelTheory]
    [InlineData(512, 1536, true)]  // full panels, several parts per thread
    [InlineData(37, 70, true)]     // a narrow last panel (70 = 2 x 32 + 6), odd input width
    [InlineData(1408, 520, true)]  // long inputs, a last panel of 8
    [InlineData(5, 3, true)]       // fewer outputs than one panel
    [InlineData(512, 1536, false)] // the same in 256-bit blocks (AVX2 machines)
    [InlineData(37, 70, false)]
    [InlineData(5, 3, false)]
    public void Every_row_count_and_thread_count_gives_the_libtorch_product(int inputs, int outputs, bool wide)
    {
        var wideBefore = SkinnyMatmul.Wide;
        // Without AVX-512 the 512-bit cases run in 256-bit blocks too.
        SkinnyMatmul.Wide = wide && Vector512.IsHardwareAccelerated;
        try
        {
            MatchesLibtorch(inputs, outputs);
        }
        finally
        {
            SkinnyMatmul.Wide = wideBefore;
        }
    }

    private static void MatchesLibtorch(int inputs, int outputs)
    {
        manual_seed(3);
        using var weight = randn(outputs, inputs);
        using var transposed = weight.t().contiguous();
        using var packed = PackedWeight.FromTransposed(transposed);
        for (var rows = 1; rows <= 19; rows++)
        {
            using var x = randn(rows, inputs);
            using var expected = x.matmul(transposed);
            using var single = Multiply(x, packed, threads: 1);
            var tolerance = 1e-5f * MathF.Sqrt(inputs) * expected.abs().max().item<float>();
            Assert.True(Tiny.MaxAbsDiff(expected, single) <= tolerance, $"{rows} rows: {Tiny.MaxAbsDiff(expected, single)} > {tolerance}");
            foreach (var threads in new[] { 2, 3 })
            {
                // Each output is summed in input order by one thread: the split changes nothing, bit for bit.
                using var split = Multiply(x, packed, threads);
                Assert.True(Tiny.MaxAbsDiff(single, split) == 0f, $"{rows} rows on {threads} threads differ from one thread");
            }
        }
    }

    [KernelFact]
    public void Concurrent_callers_each_get_their_own_product()
    {
        manual_seed(4);
        using var transposed = randn(256, 1024);
        using var packed = PackedWeight.FromTransposed(transposed);
        var inputs = Enumerable.Range(0, 4).Select(_ => randn(8, 256)).ToArray();
        var expected = inputs.Select(x => x.matmul(transposed)).ToArray();
        // Four threads at once: one gets the workers, the others run their parts themselves.
        var failures = 0;
        var threads = inputs.Select((x, i) => new Thread(() =>
        {
            for (var repeat = 0; repeat < 50; repeat++)
            {
                using var y = Multiply(x, packed, threads: 2);
                if (!y.allclose(expected[i], rtol: 1e-4, atol: 1e-3)) Interlocked.Increment(ref failures);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Assert.Equal(0, failures);
        foreach (var t in inputs.Concat(expected)) t.Dispose();
    }

    [Fact]
    public void Packing_rejects_what_it_cannot_read_and_a_disposed_weight_is_not_used()
    {
        using var strided = randn(8, 40).t();
        var notContiguous = Assert.Throws<ArgumentException>(() => PackedWeight.FromTransposed(strided));
        Assert.Contains("contiguous float32 CPU matrix", notContiguous.Message);
        using var doubles = randn(4, 4, dtype: ScalarType.Float64);
        Assert.Throws<ArgumentException>(() => PackedWeight.FromTransposed(doubles));

        var packed = PackedWeight.FromTransposed(randn(4, 40));
        Assert.Equal(2, packed.Panels);
        Assert.Equal(2L * 4 * PackedWeight.PanelWidth * sizeof(float), packed.Bytes);
        packed.Dispose();
        using var x = randn(1, 4);
        if (SkinnyMatmul.IsSupported) Assert.Throws<ObjectDisposedException>(() => Multiply(x, packed, threads: 1));
    }

    [KernelFact]
    public void Back_to_back_calls_run_every_part_exactly_once()
    {
        // Tens of thousands of short calls, so workers still finishing one call overlap the next:
        // each part of each call must run once, and no call may wait for a part nobody runs.
        var counts = new int[8];
        var run = Task.Run(() =>
        {
            for (var call = 0; call < 30_000; call++)
            {
                var parts = 2 + call % 6;
                Array.Clear(counts);
                fixed (int* state = counts) KernelThreads.Run(parts, 2, &CountPart, state);
                for (var part = 0; part < counts.Length; part++)
                    if (counts[part] != (part < parts ? 1 : 0)) return $"call {call}: part {part} ran {counts[part]} times";
            }
            return null;
        });
        Assert.True(run.Wait(TimeSpan.FromMinutes(2)), "a kernel call never finished");
        Assert.Null(run.Result);
    }

    private static void CountPart(void* state, int part) => Interlocked.Increment(ref ((int*)state)[part]);
}
