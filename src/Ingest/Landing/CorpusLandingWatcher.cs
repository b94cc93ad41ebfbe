using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pipeline.ServiceDefaults.Polling;

namespace Pipeline.Ingest.Landing;

/// <summary>
/// Polls the corpus landing area (when <see cref="IngestOptions.WatchLanding"/>) so that raw text that
/// lands there is ingested by itself. Several instances may run at once (see <see cref="CorpusLandingIntake"/>).
/// </summary>
public sealed class CorpusLandingWatcher(CorpusLandingIntake intake, IOptions<IngestOptions> options, ILogger<CorpusLandingWatcher> logger) : PollingScanner(logger)
{
    protected override bool Enabled => options.Value.WatchLanding;
    protected override TimeSpan Interval => TimeSpan.FromSeconds(options.Value.LandingPollSeconds);
    protected override string Area => $"the corpus landing area {options.Value.LandingContainer}/{options.Value.LandingPrefix}";
    protected override Task ScanOnceAsync(CancellationToken cancellationToken) => intake.ScanOnceAsync(cancellationToken);
}
