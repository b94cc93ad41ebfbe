using Pipeline.Ingest.Reading;
using Pipeline.Ingest.Steps;
using Pipeline.Ingest.Text;

namespace Pipeline.Ingest.Processing;

/// <summary>
/// The ingest steps in order: normalise, identify the language, keep/drop by language, Gopher
/// repetition, Gopher quality, C4, FineWeb, then PII redaction, toxicity and demographics. The
/// annotation steps run on dropped documents too, so rejects carry the same annotations (and no PII).
/// An instance reuses buffers between documents: one chain per sequential stream (a shard, a thread).
/// </summary>
public sealed class IngestChain(IngestOptions options, IReadOnlyCollection<string> languages)
{
    private readonly HashSet<string> _languages = new(languages, StringComparer.OrdinalIgnoreCase);

    public TextNormalizer Normalizer { get; } = new();
    public LanguageIdentifier LanguageIdentifier { get; } = new(options.Language);
    public GopherRepetitionFilter GopherRepetition { get; } = new(options.GopherRepetition);
    public GopherQualityFilter GopherQuality { get; } = new(options.GopherQuality);
    public C4Filter C4 { get; } = new(options.C4);
    public FineWebFilter FineWeb { get; } = new(options.FineWeb);
    public PiiRedactor Pii { get; } = new();
    public ToxicityScorer Toxicity { get; } = new(options.Toxicity);
    public DemographicCounter Demographics { get; } = new();
    /// <summary>Toxicity and demographics in one walk over the runs.</summary>
    public WordAnnotator Annotator => _annotator ??= new WordAnnotator(Toxicity, Demographics);
    private WordAnnotator? _annotator;
    /// <summary>
    /// Letter runs of the normalised text, shared by language ID, toxicity and demographics; carried
    /// through C4's line removal and PII replacement so they stay those of the current text. Reused across documents.
    /// </summary>
    private readonly LetterWords _letterWords = new();
    /// <summary>Views of the normalised text and of C4's kept lines, reused across documents.</summary>
    private readonly DocumentView _view = new();
    private readonly DocumentView _keptView = new();

    public ProcessedDocument Process(RawDocument document)
    {
        var text = Normalizer.Normalize(document.Text);
        if (text.Length == 0)
            return new ProcessedDocument(document, text, new LanguageResult(LanguageResult.Unknown, 0), new FilterVerdict("normalise", "empty", 0, 1), null, 0, DemographicHits.None, 0);
        _letterWords.Tokenize(text);
        var language = LanguageIdentifier.Identify(text, _letterWords);
        var englishRules = language.Language == "en" || !options.NeutralRulesOnlyForNonEnglish;
        FilterVerdict? verdict = null;
        if (_languages.Count > 0 && !_languages.Contains(language.Language))
            verdict = new FilterVerdict("language", language.Language == LanguageResult.Unknown ? "unknown" : "not_selected", language.Score, options.Language.MinConfidence);
        var c4LinesRemoved = 0;
        if (verdict is null && (language.Language == "en" || options.FilterNonEnglish))
        {
            _view.Reset(text);
            var view = _view;
            verdict = options.GopherRepetition.Enabled ? GopherRepetition.Check(view) : null;
            if (verdict is null && options.GopherQuality.Enabled) verdict = GopherQuality.Check(view, englishRules);
            if (verdict is null && options.C4.Enabled)
            {
                var c4 = C4.Apply(view, englishRules, _keptView);
                verdict = c4.Verdict;
                c4LinesRemoved = c4.LinesRemoved;
                if (verdict is null && c4.KeptView is { } kept)
                {
                    _letterWords.RemoveLines(view.Lines, c4.RemovedLines ?? [], kept.Lines);
                    text = c4.Text;
                    view = kept;
                }
            }
            if (verdict is null && options.FineWeb.Enabled) verdict = FineWeb.Check(view);
        }
        PiiResult? pii = null;
        if (options.RedactPii)
        {
            pii = Pii.Redact(text);
            if (pii.Replacements.Count > 0) _letterWords.Replace(text, pii.Text, pii.Replacements);
            text = pii.Text;
        }
        var (toxicity, demographics) = Annotator.Annotate(text, _letterWords, language.Language, countDemographics: language.Language == "en");
        if (verdict is null && options.Toxicity.Filter && toxicity >= options.Toxicity.Threshold)
            verdict = new FilterVerdict("toxicity", "score", toxicity, options.Toxicity.Threshold);
        return new ProcessedDocument(document, text, language, verdict, pii, toxicity, demographics, c4LinesRemoved);
    }
}
