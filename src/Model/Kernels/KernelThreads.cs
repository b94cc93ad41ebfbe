using System.Diagnostics;

namespace Pipeline.Model.Kernels;

/// <summary>
/// Runs the parts of one kernel call on the caller and on background workers at once. Workers keep
/// polling (yielding the core to any other ready thread) for a short while after each call, then sleep: a decode step issues a kernel call every few tens
/// of microseconds, so a polling worker joins the next one at once, where a thread-pool or sleeping
/// thread would take tens of microseconds to wake for every call. Parts are claimed one at a time
/// by whoever is free, so when the cores are busy with other work and a worker is not running, the
/// caller takes its parts instead of waiting for it: the call then costs what one thread would. A
/// caller that finds the workers serving another thread's call runs all parts itself.
/// </summary>
public static unsafe class KernelThreads
{
    /// <summary>How long a worker keeps looking for the next call after its last part before it sleeps (0.2 ms).</summary>
    private static readonly long SpinTicks = Stopwatch.Frequency / 5000;

    private static readonly Lock Gate = new();
    private static readonly List<Worker> Workers = [];

    /// <summary>The call being served; a worker that wakes reads it and claims parts from it.</summary>
    private static Call? current;
    private static int callNumber;

    /// <summary>
    /// One call's work. Parts are claimed from the call's own counter, so a worker still holding an
    /// earlier call can only find that call's parts all taken: it can never run or count a part of a
    /// later call. (A shared ticket that was reset for each call let a late worker claim a part
    /// number past the end of the next call and leave its count of unfinished parts below zero,
    /// and the caller spinning forever; seen about once in 50 runs.)
    /// </summary>
    private sealed class Call(delegate*<void*, int, void> body, void* state, int parts)
    {
        private readonly int count = parts;
        private int next;
        private int unfinished = parts;

        public bool Finished => Volatile.Read(ref unfinished) == 0;

        /// <summary>Claims and runs parts until none is left.</summary>
        public void Work()
        {
            int part;
            while ((part = Interlocked.Increment(ref next) - 1) < count)
            {
                body(state, part);
                Interlocked.Decrement(ref unfinished);
            }
        }
    }

    /// <summary>Runs <paramref name="run"/>(state, part) for part 0 .. count-1 on up to <paramref name="threads"/> threads; returns when all are done.</summary>
    public static void Run(int count, int threads, delegate*<void*, int, void> run, void* jobState)
    {
        if (count <= 1 || threads <= 1 || !Gate.TryEnter())
        {
            for (var part = 0; part < count; part++) run(jobState, part);
            return;
        }
        try
        {
            var helpers = Math.Min(threads, count) - 1;
            while (Workers.Count < helpers) Workers.Add(new Worker(Workers.Count + 1));
            var call = new Call(run, jobState, count);
            Volatile.Write(ref current, call);
            var number = ++callNumber;
            for (var i = 0; i < helpers; i++) Workers[i].Wake(number);
            call.Work();
            var spinner = new SpinWait();
            while (!call.Finished) spinner.SpinOnce(sleep1Threshold: -1);
            Volatile.Write(ref current, null);
        }
        finally
        {
            Gate.Exit();
        }
    }

    /// <summary>
    /// Below this much work (elements, or multiply-adds) a hand-off to another thread costs more than it
    /// saves, so such calls run on the caller alone.
    /// </summary>
    public const long ParallelWork = 65_536;

    /// <summary>The number of parts of at most <paramref name="perPart"/> items that cover <paramref name="items"/> (at least one).</summary>
    public static int PartCount(long items, int perPart) => (int)Math.Max(1, (items + perPart - 1) / perPart);

    /// <summary>The items of part <paramref name="part"/> of <see cref="PartCount"/>: [First, End).</summary>
    public static (long First, long End) PartRange(int part, int perPart, long items)
    {
        var first = (long)part * perPart;
        return (first, Math.Min(items, first + perPart));
    }

    /// <summary>
    /// <see cref="Run"/> over parts of <paramref name="perPart"/> items each, on the caller alone when
    /// <paramref name="work"/> is below <see cref="ParallelWork"/>.
    /// </summary>
    public static void RunParts(long items, int perPart, long work, int threads, delegate*<void*, int, void> run, void* jobState) =>
        Run(PartCount(items, perPart), work < ParallelWork ? 1 : threads, run, jobState);

    private sealed class Worker
    {
        private readonly SemaphoreSlim wake = new(0);
        private int latestCall;
        private int sleeping;

        public Worker(int index) => new Thread(Loop) { IsBackground = true, Name = $"kernel-{index}" }.Start();

        public void Wake(int call)
        {
            Volatile.Write(ref latestCall, call);
            if (Interlocked.Exchange(ref sleeping, 0) == 1) wake.Release();
        }

        private void Loop()
        {
            var served = 0;
            while (true)
            {
                var idleSince = Stopwatch.GetTimestamp();
                while (Volatile.Read(ref latestCall) == served)
                {
                    if (Stopwatch.GetTimestamp() - idleSince < SpinTicks)
                    {
                        // Yield, not spin: a libtorch (OpenMP) thread waiting for this core gets it at once.
                        Thread.Yield();
                        continue;
                    }
                    // Announce the sleep, then look once more: a Wake in between either sees the flag
                    // and releases the semaphore, or its call is seen here.
                    Volatile.Write(ref sleeping, 1);
                    if (Volatile.Read(ref latestCall) == served) wake.Wait();
                    Volatile.Write(ref sleeping, 0);
                    idleSince = Stopwatch.GetTimestamp();
                }
                served = Volatile.Read(ref latestCall);
                Volatile.Read(ref current)?.Work();
            }
        }
    }
}
