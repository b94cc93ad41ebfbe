using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pipeline.ServiceDefaults.Polling;

namespace Pipeline.Orchestrator.Landing;

/// <summary>
/// Polls the landing area so an RLHF iteration starts by itself when preference data lands. Its only
/// state is in the blob store (landed markers), so it resumes after a restart and several instances
/// may run at once.
/// </summary>
public sealed class PreferenceLandingWatcher(PreferenceBatchIntake intake, IOptions<OrchestratorOptions> options, ILogger<PreferenceLandingWatcher> logger) : PollingScanner(logger)
{
    protected override bool Enabled => options.Value.WatchLanding;
    protected override TimeSpan Interval => TimeSpan.FromSeconds(options.Value.PollIntervalSeconds);
    protected override string Area => $"the preference landing area {options.Value.PreferencesContainer}/{PreferenceBatchLayout.Incoming}";
    protected override Task ScanOnceAsync(CancellationToken cancellationToken) => intake.ScanOnceAsync(cancellationToken);
}
