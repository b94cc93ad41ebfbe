using static TorchSharp.torch;

namespace Pipeline.Model.Tests;

/// <summary>With the malloc settings in effect, re-allocating a freed activation-sized buffer reuses its pages.</summary>
[Collection(TorchCollection.Name)]
public sealed class NativeAllocatorTests
{
    [Fact]
    public void Freed_tensors_are_reused_instead_of_faulted_in_again()
    {
        Assert.True(NativeAllocator.KeepFreedMemoryForReuse(), "expected glibc on Linux with no MALLOC_* settings of the user's");
        const long floats = 6L << 20; // 24 MiB: above glibc's default mmap threshold, below its maximum
        // Three at once, like a step's activations: freeing them leaves 72 MiB at the top of the heap,
        // which glibc's default (trim above twice the adaptive threshold) returns to the kernel.
        static void Step()
        {
            using var a = zeros(floats);
            using var b = zeros(floats);
            using var c = zeros(floats);
        }
        for (var i = 0; i < 2; i++) Step();
        var before = MinorFaults();
        for (var i = 0; i < 10; i++) Step();
        var pagesPerBuffer = floats * 4 / Environment.SystemPageSize;
        // Fresh pages every time would be 10 x 3 x 6,144 faults.
        Assert.True(MinorFaults() - before < pagesPerBuffer, $"{MinorFaults() - before} faults for 10 steps of 3 buffers of {pagesPerBuffer} pages");
    }

    /// <summary>minflt, field 10 of /proc/self/stat (after the parenthesised command name).</summary>
    private static long MinorFaults()
    {
        var stat = File.ReadAllText("/proc/self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[7]);
    }
}
