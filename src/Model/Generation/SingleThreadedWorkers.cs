using System.Runtime.ExceptionServices;
using static TorchSharp.torch;

namespace Pipeline.Model.Generation;

/// <summary>
/// Runs work items in parallel, each on a dedicated thread whose libtorch work uses one intra-op
/// thread. Dedicated threads, not the thread pool: the intra-op setting sticks to the thread, and a
/// pool thread would carry it into unrelated work later.
/// </summary>
internal static class SingleThreadedWorkers
{
    public static T[] Run<T>(IReadOnlyList<Func<T>> work)
    {
        var threadsBefore = get_num_threads();
        var results = new T[work.Count];
        var failures = new ExceptionDispatchInfo?[work.Count];
        using var limited = new CountdownEvent(work.Count);
        var threads = work.Select((item, i) => new Thread(() =>
        {
            try
            {
                try
                {
                    // A thread's first libtorch call copies the process-wide setting into it, once
                    // (at::internal::lazy_init_num_threads). Make that happen now: done later, it would
                    // copy the value the caller has put back and undo the limit.
                    _ = get_num_threads();
                    set_num_threads(1);
                }
                finally
                {
                    limited.Signal();
                }
                results[i] = item();
            }
            catch (Exception ex)
            {
                failures[i] = ExceptionDispatchInfo.Capture(ex);
            }
        }) { IsBackground = true, Name = $"decode-{i}" }).ToList();
        foreach (var thread in threads) thread.Start();
        limited.Wait();
        // at::set_num_threads also writes the process-wide default that threads read on their first
        // libtorch call; put it back so only these workers run single-threaded.
        set_num_threads(threadsBefore);
        foreach (var thread in threads) thread.Join();
        failures.FirstOrDefault(f => f is not null)?.Throw();
        return results;
    }
}
