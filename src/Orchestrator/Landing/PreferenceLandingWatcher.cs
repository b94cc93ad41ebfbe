using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Pipeline.Orchestrator.Landing;

/// <summary>
/// Polls the landing area so an RLHF iteration starts by itself when preference data lands. Its only
/// state is in the blob store (landed markers), so it resumes after a restart and several instances
/// may run at once.
/// </summary>
public sealed class PreferenceLandingWatcher(PreferenceBatchIntake intake, IOptions<OrchestratorOptions> options, ILogger<PreferenceLandingWatcher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.WatchLanding) return;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.PollIntervalSeconds));
        do
        {
            try
            {
                await intake.ScanOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A failed pass (store briefly unreachable) must not stop the watcher: the next tick retries.
                logger.LogError(ex, "Scanning the preference landing area failed; retrying in {PollIntervalSeconds}s", options.Value.PollIntervalSeconds);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
