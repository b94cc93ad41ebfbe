namespace Pipeline.Ingest.Steps;

/// <summary>Gopher quality rules (Rae et al. 2021, as in DataTrove's GopherQualityFilter).</summary>
public sealed class GopherQualityOptions
{
    public bool Enabled { get; set; } = true;
    public int MinWords { get; set; } = 50;
    public int MaxWords { get; set; } = 100_000;
    public double MinMeanWordLength { get; set; } = 3;
    public double MaxMeanWordLength { get; set; } = 10;
    /// <summary>('#' + '...' + '…') per word.</summary>
    public double MaxSymbolWordRatio { get; set; } = 0.1;
    public double MaxBulletLineRatio { get; set; } = 0.9;
    public double MaxEllipsisLineRatio { get; set; } = 0.3;
    public double MinAlphabeticWordRatio { get; set; } = 0.8;
    /// <summary>English only: at least this many of <see cref="StopWords"/> must occur.</summary>
    public int MinStopWords { get; set; } = 2;
    public string[] StopWords { get; set; } = ["the", "be", "to", "of", "and", "that", "have", "with"];
}

/// <summary>Gopher repetition rules; ratios are of the document's characters unless named "of lines/paragraphs".</summary>
public sealed class GopherRepetitionOptions
{
    public bool Enabled { get; set; } = true;
    public double MaxDuplicateLineFraction { get; set; } = 0.30;
    public double MaxDuplicateParagraphFraction { get; set; } = 0.30;
    public double MaxDuplicateLineCharFraction { get; set; } = 0.20;
    public double MaxDuplicateParagraphCharFraction { get; set; } = 0.20;
    /// <summary>Share of characters in the most frequent 2-, 3- and 4-gram.</summary>
    public double[] MaxTopNGramCharFraction { get; set; } = [0.20, 0.18, 0.16];
    /// <summary>Share of characters in repeated 5- to 10-grams.</summary>
    public double[] MaxDuplicateNGramCharFraction { get; set; } = [0.15, 0.14, 0.13, 0.12, 0.11, 0.10];
}

/// <summary>C4 (Raffel et al. 2020): line clean-up plus document rules.</summary>
public sealed class C4Options
{
    public bool Enabled { get; set; } = true;
    /// <summary>Remove lines without terminal punctuation, with fewer than MinWordsPerLine words, or naming javascript / a policy.</summary>
    public bool RemoveLines { get; set; } = true;
    public int MinWordsPerLine { get; set; } = 3;
    public int MinSentences { get; set; } = 5;
    public int MaxWordLength { get; set; } = 1000;
    public bool DropLoremIpsum { get; set; } = true;
    public bool DropCurlyBracket { get; set; } = true;
    public string[] PolicySubstrings { get; set; } = ["terms of use", "privacy policy", "cookie policy", "uses cookies", "use of cookies", "use cookies"];
}

/// <summary>FineWeb's own quality rules (Penedo et al. 2024).</summary>
public sealed class FineWebOptions
{
    public bool Enabled { get; set; } = true;
    /// <summary>Keep when more than this share of lines end in punctuation.</summary>
    public double MinLinePunctuationRatio { get; set; } = 0.12;
    public double MaxShortLineRatio { get; set; } = 0.67;
    public int ShortLineLength { get; set; } = 30;
    public double MaxDuplicateLineCharRatio { get; set; } = 0.01;
    public double MaxNewlinesPerWord { get; set; } = 0.3;
}
