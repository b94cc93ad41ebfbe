using System.ComponentModel.DataAnnotations;
using Pipeline.Ingest.Reading;
using Pipeline.Ingest.Sft;
using Pipeline.Ingest.Steps;

namespace Pipeline.Ingest;

/// <summary>Section <c>Ingest</c> (env <c>Ingest__GopherQuality__MinWords</c> and so on).</summary>
public sealed class IngestOptions
{
    public const string Section = "Ingest";

    /// <summary>Where shards, rejects, quarantine and reports go.</summary>
    [Required] public string OutputContainer { get; set; } = "corpus";
    /// <summary>Where SFT curation writes train/eval/quarantine.</summary>
    [Required] public string SftContainer { get; set; } = "sft";
    /// <summary>FilterShard messages one instance processes at once.</summary>
    [Range(1, 256)] public int ShardConcurrency { get; set; } = Math.Max(1, Environment.ProcessorCount);
    public ReaderOptions Reader { get; set; } = new();
    public LanguageIdentifierOptions Language { get; set; } = new();
    /// <summary>Non-English documents get only the language-neutral rules (no stop-word, javascript or policy rules).</summary>
    public bool NeutralRulesOnlyForNonEnglish { get; set; } = true;
    /// <summary>Run the quality filters on non-English documents at all.</summary>
    public bool FilterNonEnglish { get; set; } = true;
    public GopherQualityOptions GopherQuality { get; set; } = new();
    public GopherRepetitionOptions GopherRepetition { get; set; } = new();
    public C4Options C4 { get; set; } = new();
    public FineWebOptions FineWeb { get; set; } = new();
    public bool RedactPii { get; set; } = true;
    public ToxicityOptions Toxicity { get; set; } = new();
    public SftCurationOptions Sft { get; set; } = new();
}
