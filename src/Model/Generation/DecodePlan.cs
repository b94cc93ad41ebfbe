using Pipeline.Model.Llama;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Model.Generation;

/// <summary>
/// Whether a Generate call decodes on one dedicated thread running libtorch with a single intra-op
/// thread. A small model's decode step for one sequence is a few hundred native calls on tiny
/// tensors, an overhead that a second intra-op thread cannot share: on the 2-core development
/// machine a 2M-parameter step took 0.9 ms on one thread against 1.3-1.9 ms on two when OpenMP's
/// waiting threads sleep at once (OMP_WAIT_POLICY=PASSIVE alone), and about the same on both when
/// they spin briefly first (the pipeline wrapper's GOMP_SPINCOUNT=10000). Batches, bigger models
/// (weights beyond <see cref="SmallModelBytes"/>), the no-cache path (every step a full forward)
/// and other devices keep all intra-op threads. Splitting a batch into per-core row groups, each on
/// its own single-threaded worker, was measured too and was no faster than the whole batch on two
/// threads (2M, K = 8: 2,300-3,400 against 2,400-4,600 tokens/s), so it is not done.
/// </summary>
internal static class DecodePlan
{
    /// <summary>
    /// 12 MiB of weights. Measured per single-sequence decode step here: the 2M benchmark model
    /// (7.3 MiB) took 0.94-1.03 ms on one thread against 1.09-1.11 ms on two (with brief spinning),
    /// the 7M one (26 MiB) 4.1-4.3 ms on one against 3.1-3.2 ms on two (its weights stream from L3
    /// every step, and two cores pull them faster).
    /// </summary>
    public const long SmallModelBytes = 12L << 20;

    public static bool OnOneQuietThread(LlamaForCausalLM model, int rows, bool kvCache, Device device) =>
        rows == 1 && kvCache && device.type == DeviceType.CPU && get_num_threads() > 1
        && InferenceWeights.BytesOf(model) <= SmallModelBytes;
}
