using System.ComponentModel.DataAnnotations;
using Pipeline.Dedup.Core;

namespace Pipeline.Dedup.Staged;

/// <summary>
/// Section <c>Dedup</c> (environment: <c>Dedup__Container</c>, ...). The threshold, n-gram size and
/// permutation count come with each <c>DeduplicateCorpus</c> request; the rest is deployment-wide.
/// </summary>
public sealed class DedupOptions
{
    public const string Section = "Dedup";

    /// <summary>Container for run artifacts (<c>runs/{runId}/...</c>) and the persistent index (<c>index/...</c>).</summary>
    [Required] public string Container { get; set; } = "dedup";
    /// <summary>Name of the persistent index: runs sharing it are deduplicated against each other's kept documents.</summary>
    [Required, RegularExpression("^[a-z0-9-]{1,40}$")] public string IndexName { get; set; } = "default";
    /// <summary>Candidate search is split into this many band ranges, each one message (capped at the band count).</summary>
    [Range(1, 128)] public int BandRanges { get; set; } = 3;
    public ShingleKind ShingleKind { get; set; } = ShingleKind.Word;
    public bool Lowercase { get; set; } = true;
    public bool CollapseWhitespace { get; set; } = true;
    public bool StripPunctuation { get; set; } = true;
    public bool UnicodeCompatibilityFold { get; set; } = true;
    public ulong Seed { get; set; } = 0x11A3A2;
    /// <summary>Messages of one stage an instance runs at once; CPU-bound, so about the core count.</summary>
    [Range(1, 256)] public int ConcurrentMessages { get; set; } = Math.Max(1, Environment.ProcessorCount);
}
