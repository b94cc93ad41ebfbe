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

    // The current call. A participant reads these, then claims a part by advancing the ticket,
    // (call number << 32) | next part, with a compare-exchange: the exchange fails if the call it read
    // has ended, and a call cannot end while one of its parts is unclaimed, so what it read belongs
    // to the call whose part it won.
    private static delegate*<void*, int, void> body;
    private static void* state;
    private static int parts;
    private static long ticket;
    private static int unfinished;

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
            body = run;
            state = jobState;
            parts = count;
            Volatile.Write(ref unfinished, count);
            var call = (int)(Volatile.Read(ref ticket) >> 32) + 1;
            Volatile.Write(ref ticket, (long)call << 32);
            for (var i = 0; i < helpers; i++) Workers[i].Wake(call);
            WorkOn(call);
            var spinner = new SpinWait();
            while (Volatile.Read(ref unfinished) != 0) spinner.SpinOnce(sleep1Threshold: -1);
        }
        finally
        {
            Gate.Exit();
        }
    }

    /// <summary>Claims and runs parts of call <paramref name="call"/> until none is left.</summary>
    private static void WorkOn(int call)
    {
        while (true)
        {
            var current = Volatile.Read(ref ticket);
            var run = body;
            var jobState = state;
            var count = parts;
            var part = (int)current;
            if ((int)(current >> 32) != call || part >= count) return;
            if (Interlocked.CompareExchange(ref ticket, current + 1, current) != current) continue;
            run(jobState, part);
            Interlocked.Decrement(ref unfinished);
        }
    }

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
                WorkOn(served);
            }
        }
    }
}
