using System.Runtime.InteropServices;

namespace Pipeline.Model;

/// <summary>
/// glibc's malloc hands blocks above its (adaptive) mmap threshold back to the kernel when they are
/// freed, so a training step that frees and re-allocates the same activation and gradient buffers
/// faults fresh zeroed pages in again on every step: 66k page faults per step of the 7M-parameter
/// benchmark model here, 5-10 % of its time. With the threshold at glibc's maximum (32 MiB) and
/// freed memory kept at the top of the heap (trim threshold 1 GiB, top pad 256 MiB) malloc reuses
/// the blocks: 25k faults per step and 7-10 % more tokens/s (measured back to back). The cost: a
/// process keeps up to ~1 GiB of freed native memory for reuse instead of returning it at once.
/// Skipped where the user already tuned malloc (MALLOC_*_ or GLIBC_TUNABLES set) and where the C
/// library is not glibc.
/// </summary>
public static class NativeAllocator
{
    /// <summary>The same settings as environment variables, for child processes (the PyTorch reference in bench).</summary>
    public static readonly IReadOnlyDictionary<string, string> Environment = new Dictionary<string, string>
    {
        ["MALLOC_MMAP_THRESHOLD_"] = MmapThreshold.ToString(),
        ["MALLOC_TRIM_THRESHOLD_"] = TrimThreshold.ToString(),
        ["MALLOC_TOP_PAD_"] = TopPad.ToString(),
    };

    private const int MmapThreshold = 32 << 20;
    private const int TrimThreshold = 1 << 30;
    private const int TopPad = 256 << 20;

    // mallopt parameter numbers from glibc's malloc.h.
    private const int M_TRIM_THRESHOLD = -1;
    private const int M_TOP_PAD = -2;
    private const int M_MMAP_THRESHOLD = -3;

    private static int applied;

    /// <summary>Applies the settings once per process; true when they are in effect.</summary>
    public static bool KeepFreedMemoryForReuse()
    {
        if (!OperatingSystem.IsLinux() || UserTunedMalloc()) return false;
        if (Interlocked.Exchange(ref applied, 1) == 1) return true;
        try
        {
            // mallopt returns 1 on success; all three or the process keeps glibc's defaults for the rest.
            return mallopt(M_MMAP_THRESHOLD, MmapThreshold) == 1
                && mallopt(M_TRIM_THRESHOLD, TrimThreshold) == 1
                && mallopt(M_TOP_PAD, TopPad) == 1;
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
        {
            return false; // not glibc (e.g. musl)
        }
    }

    private static bool UserTunedMalloc() =>
        System.Environment.GetEnvironmentVariable("GLIBC_TUNABLES") is not null
        || System.Environment.GetEnvironmentVariables().Keys.Cast<string>().Any(k => k.StartsWith("MALLOC_", StringComparison.Ordinal));

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int mallopt(int param, int value);
}
