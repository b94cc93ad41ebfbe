using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Pipeline.Model.Kernels;

/// <summary>
/// Rotary embedding (Hugging Face's rotate-half layout) over projected rows [rows = B x T, heads x D],
/// float32 or bfloat16, one pass each way, shared between threads by chunks of rows. Forward, as
/// <see cref="Llama.Rotary.ApplySigned"/>: y[j] = x[j] cos[j] + x[p(j)] s[j], with p(j) = j + D/2
/// mod D and s the signed sin. Backward: dx[i] = dy[i] cos[i] + dy[p(i)] s[p(i)] (p is its own
/// inverse). The cos/sin rows are [T, D] shared by the batch, or [B x T, D] per row. Sixteen lanes
/// at a time where the CPU has AVX-512 (head halves of 32 and more), then eight, then one.
/// </summary>
internal static unsafe class RotaryRows
{
    /// <summary>Elements per part, as for the other elementwise kernels.</summary>
    private const int ChunkElements = 16_384;

    /// <param name="backward">Computes dx from dy (<paramref name="x"/> is dy) instead of y from x.</param>
    public static void Run(void* x, void* cos, void* sin, void* output, long rows, int positions, int heads, int headDim,
        bool cosPerRow, bool bfloat16, bool backward, int threads)
    {
        if (headDim % 2 != 0) throw new ArgumentException($"rotary needs an even head size, got {headDim}", nameof(headDim));
        var job = new Job
        {
            X = x, Cos = cos, Sin = sin, Output = output, Rows = rows, Positions = positions, Heads = heads, HeadDim = headDim,
            CosPerRow = cosPerRow, BFloat16 = bfloat16, Backward = backward,
            RowsPerPart = Math.Max(1, ChunkElements / (heads * headDim)),
        };
        KernelThreads.RunParts(rows, job.RowsPerPart, rows * heads * headDim, threads, &RunPart, &job);
    }

    private struct Job
    {
        public void* X;
        public void* Cos;
        public void* Sin;
        public void* Output;
        public long Rows;
        public int Positions;
        public int Heads;
        public int HeadDim;
        public bool CosPerRow;
        public bool BFloat16;
        public bool Backward;
        public int RowsPerPart;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunPart(void* state, int part)
    {
        ref var job = ref *(Job*)state;
        var (first, end) = KernelThreads.PartRange(part, job.RowsPerPart, job.Rows);
        var (d, half, bf16) = (job.HeadDim, job.HeadDim / 2, job.BFloat16);
        for (var row = first; row < end; row++)
        {
            var table = (job.CosPerRow ? row : row % job.Positions) * d;
            for (var head = 0; head < job.Heads; head++)
            {
                var at = (row * job.Heads + head) * d;
                var j = 0;
                if (Avx512F.IsSupported)
                    for (; j <= half - 16; j += 16)
                    {
                        var (a, b) = (BFloat16Lanes.Load16(job.X, at + j, bf16), BFloat16Lanes.Load16(job.X, at + half + j, bf16));
                        var (cosLow, cosHigh) = (BFloat16Lanes.Load16(job.Cos, table + j, bf16), BFloat16Lanes.Load16(job.Cos, table + half + j, bf16));
                        var (sinLow, sinHigh) = (BFloat16Lanes.Load16(job.Sin, table + j, bf16), BFloat16Lanes.Load16(job.Sin, table + half + j, bf16));
                        var (low, high) = job.Backward
                            ? (a * cosLow + b * sinHigh, b * cosHigh + a * sinLow)
                            : (a * cosLow + b * sinLow, b * cosHigh + a * sinHigh);
                        BFloat16Lanes.Store16(job.Output, at + j, low, bf16);
                        BFloat16Lanes.Store16(job.Output, at + half + j, high, bf16);
                    }
                if (Vector256.IsHardwareAccelerated)
                    for (; j <= half - 8; j += 8)
                    {
                        var (a, b) = (BFloat16Lanes.Load(job.X, at + j, bf16), BFloat16Lanes.Load(job.X, at + half + j, bf16));
                        var (cosLow, cosHigh) = (BFloat16Lanes.Load(job.Cos, table + j, bf16), BFloat16Lanes.Load(job.Cos, table + half + j, bf16));
                        var (sinLow, sinHigh) = (BFloat16Lanes.Load(job.Sin, table + j, bf16), BFloat16Lanes.Load(job.Sin, table + half + j, bf16));
                        // Forward pairs a with the low half's sin; backward with the partner's (see the summary).
                        var (low, high) = job.Backward
                            ? (a * cosLow + b * sinHigh, b * cosHigh + a * sinLow)
                            : (a * cosLow + b * sinLow, b * cosHigh + a * sinHigh);
                        BFloat16Lanes.Store(job.Output, at + j, low, bf16);
                        BFloat16Lanes.Store(job.Output, at + half + j, high, bf16);
                    }
                for (; j < half; j++)
                {
                    var (a, b) = (BFloat16Lanes.Read(job.X, at + j, bf16), BFloat16Lanes.Read(job.X, at + half + j, bf16));
                    var (cosLow, cosHigh) = (BFloat16Lanes.Read(job.Cos, table + j, bf16), BFloat16Lanes.Read(job.Cos, table + half + j, bf16));
                    var (sinLow, sinHigh) = (BFloat16Lanes.Read(job.Sin, table + j, bf16), BFloat16Lanes.Read(job.Sin, table + half + j, bf16));
                    var (low, high) = job.Backward
                        ? (a * cosLow + b * sinHigh, b * cosHigh + a * sinLow)
                        : (a * cosLow + b * sinLow, b * cosHigh + a * sinHigh);
                    BFloat16Lanes.Write(job.Output, at + j, low, bf16);
                    BFloat16Lanes.Write(job.Output, at + half + j, high, bf16);
                }
            }
        }
    }
}
