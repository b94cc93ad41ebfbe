using TorchSharp;
using Pipeline.Model.Llama;
using static TorchSharp.torch;

namespace Pipeline.Model.Generation;

/// <summary>
/// How a Generate call spreads over the CPU cores. A small model's decode step is a few hundred
/// native calls on tiny tensors, so its cost is per-call overhead, which intra-op threads cannot
/// share: on the 2-core development machine a 2M-parameter step took 0.9-1.0 ms on one thread
/// against 1.1 ms on two with briefly spinning OpenMP threads, 1.3-1.9 ms with sleeping ones. So for such models the
/// rows are split into one group per core, and each group decodes on its own thread with a single
/// intra-op thread — one row gets one quiet thread, eight rows two groups of four in parallel.
/// Bigger models (weights beyond <see cref="SmallModelBytes"/>) keep all intra-op threads on the
/// whole batch; so does the no-cache path (every step a full forward over the sequence) and any
/// device but the CPU.
/// </summary>
internal sealed record DecodePlan(int Groups, bool OneThreadPerGroup)
{
    public static readonly DecodePlan Whole = new(1, false);

    /// <summary>
    /// 12 MiB of weights. Measured per decode step here (OMP_WAIT_POLICY=PASSIVE, GOMP_SPINCOUNT=10000):
    /// the 2M benchmark model (7.3 MiB) took 0.94-1.03 ms on one thread against 1.09-1.11 ms on two,
    /// the 7M one (26 MiB) 4.1-4.3 ms on one against 3.1-3.2 ms on two (its weights stream from L3
    /// every step, and two cores pull them faster).
    /// </summary>
    public const long SmallModelBytes = 12L << 20;

    public static DecodePlan For(LlamaForCausalLM model, int rows, bool kvCache, Device device)
    {
        if (!kvCache || device.type != DeviceType.CPU) return Whole;
        if (InferenceWeights.BytesOf(model) > SmallModelBytes) return Whole;
        var threads = get_num_threads();
        return threads <= 1 ? Whole : new DecodePlan(Math.Min(rows, threads), true);
    }

    /// <summary>Contiguous row ranges of near-equal size, one per group.</summary>
    public IReadOnlyList<int[]> Split(int rows)
    {
        var groups = new List<int[]>();
        for (var g = 0; g < Groups; g++)
        {
            var start = rows * g / Groups;
            var end = rows * (g + 1) / Groups;
            groups.Add(Enumerable.Range(start, end - start).ToArray());
        }
        return groups;
    }
}
