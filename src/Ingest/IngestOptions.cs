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
    /// <summary>How kept, rejected and quarantine shards are compressed: <c>Gzip</c> (<c>.jsonl.gz</c>, default) or <c>Zstd</c> (<c>.jsonl.zst</c>).</summary>
    [EnumDataType(typeof(ShardCompression))] public ShardCompression OutputCompression { get; set; } = ShardCompression.Gzip;
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

    /// <summary>Poll <see cref="LandingContainer"/>/<see cref="LandingPrefix"/> and ingest each batch of raw text that lands there by itself (CorpusLandingWatcher).</summary>
    public bool WatchLanding { get; set; }
    [Required] public string LandingContainer { get; set; } = "raw";
    /// <summary>A batch is the files in one folder right below this prefix: <c>landing/{batch}/...</c>.</summary>
    [Required] public string LandingPrefix { get; set; } = "landing/";
    [Range(1, 3600)] public int LandingPollSeconds { get; set; } = 10;
    /// <summary>A batch without a <c>_READY</c> file is taken once its newest file is this many seconds old (still being uploaded before).</summary>
    [Range(0, 86400)] public int LandingQuietSeconds { get; set; } = 60;
    /// <summary>ISO 639-1 codes to keep in landed batches; empty keeps every language.</summary>
    public List<string> LandingLanguages { get; set; } = [];
    /// <summary>JSONL field that holds the text in landed batches.</summary>
    [Required] public string LandingTextField { get; set; } = "text";
}
