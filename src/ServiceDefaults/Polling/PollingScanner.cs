using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Pipeline.ServiceDefaults.Polling;

/// <summary>
/// A background service that runs one scan now and then one per interval while it is enabled, the
/// shape of the landing watchers: a failed pass is logged and retried on the next tick, since a store
/// that is briefly unreachable must not stop the watcher.
/// </summary>
public abstract class PollingScanner(ILogger logger) : BackgroundService
{
    /// <summary>Whether the service scans at all (read once, at start).</summary>
    protected abstract bool Enabled { get; }
    protected abstract TimeSpan Interval { get; }
    /// <summary>What is scanned, for the logs.</summary>
    protected abstract string Area { get; }
    protected abstract Task ScanOnceAsync(CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Enabled) return;
        logger.LogInformation("Watching {Area} every {PollSeconds}s", Area, Interval.TotalSeconds);
        using var timer = new PeriodicTimer(Interval);
        do
        {
            try
            {
                await ScanOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Scanning {Area} failed; retrying in {PollSeconds}s", Area, Interval.TotalSeconds);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
