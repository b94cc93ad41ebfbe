using System.ComponentModel.DataAnnotations;

namespace Pipeline.Sampler;

/// <summary>Section <c>Sampler</c>.</summary>
public sealed class SamplerOptions
{
    public const string Section = "Sampler";

    public string OutputContainer { get; set; } = "samples";
    /// <summary>Local copies of model folders, keyed by manifest hash so a changed model is fetched again.</summary>
    public string CacheDirectory { get; set; } = ".pipeline/cache/models";
    /// <summary>Prompts generated at once (each with its K samples) — bounds memory per instance.</summary>
    [Range(1, 4096)]
    public int MaxBatchSequences { get; set; } = 32;
    [Range(1, 1 << 20)]
    public int MaxPromptTokens { get; set; } = 1024;
    public string Device { get; set; } = "cpu";
}
