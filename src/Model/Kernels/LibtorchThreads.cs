using static TorchSharp.torch;

namespace Pipeline.Model.Kernels;

/// <summary>
/// How many threads the C# kernels share their work between: libtorch's intra-op thread count
/// (<c>set_num_threads</c>), so one setting governs the libtorch ops and the kernels beside them.
/// </summary>
internal static class LibtorchThreads
{
    public static int Count => Math.Max(1, get_num_threads());
}
