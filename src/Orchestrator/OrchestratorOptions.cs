using System.ComponentModel.DataAnnotations;

namespace Pipeline.Orchestrator;

/// <summary>Section <c>Orchestrator</c>: where preference batches land and how often to look.</summary>
public sealed class OrchestratorOptions
{
    public const string Section = "Orchestrator";

    public string PreferencesContainer { get; set; } = "preferences";
    public string LineageContainer { get; set; } = "lineage";
    /// <summary>Poll the landing area (Azurite has no change feed or Event Grid, so we poll).</summary>
    public bool WatchLanding { get; set; } = true;
    [Range(1, 3600)]
    public int PollIntervalSeconds { get; set; } = 5;
    /// <summary>A batch without a <c>_READY</c> marker is taken once no file changed for this long.</summary>
    [Range(0, 86400)]
    public int LandingQuietSeconds { get; set; } = 60;
    /// <summary>Preference lines above this size are rejected without being parsed.</summary>
    [Range(1024, 1 << 30)]
    public int MaxLineBytes { get; set; } = 1 << 20;
}
