using System.Diagnostics;
using System.Runtime;
using System.Text;
using Pipeline.Ingest.Processing;
using Pipeline.Ingest.Reading;
using Pipeline.Ingest.Text;

namespace Pipeline.Ingest.Benchmarks;

/// <summary>One measured figure: throughput over the input's UTF-8 bytes.</summary>
public sealed record StepThroughput(string Step, double MegabytesPerSecond, double Seconds);

public sealed record IngestBenchmarkResult(
    long Documents,
    double Megabytes,
    int Passes,
    double ChainMegabytesPerSecondPerCore,
    int Cores,
    double ParallelMegabytesPerSecond,
    IReadOnlyList<StepThroughput> Steps,
    double PeakWorkingSetMegabytes,
    double TargetMegabytesPerSecondPerCore,
    double ChainMegabytesPerCpuSecond,
    int WarmupPasses,
    double WarmupSeconds,
    PassSpread ChainPasses);

/// <summary>
/// The timed passes of the single-threaded chain one by one, in MB/s of wall clock: on a shared machine
/// the mean hides how far the same code swings from pass to pass (here 20-33 ms/MB), and the median
/// pass is the figure least moved by a few slow ones.
/// </summary>
public sealed record PassSpread(double Fastest, double Median, double SlowestTenth);

/// <summary>
/// Times the full chain on one thread (MB/s per core), the chain on every core, and each step
/// alone, over documents held in memory so that reading and decompression are not measured.
/// </summary>
public sealed class IngestBenchmark(IngestOptions options)
{
    public const double TargetPerCore = 50;

    public static async Task<List<RawDocument>> LoadAsync(IEnumerable<string> files, CancellationToken cancellationToken = default)
    {
        var documents = new List<RawDocument>();
        foreach (var file in files.Where(DocumentReader.IsSupported))
        {
            await using var stream = File.OpenRead(file);
            await foreach (var item in DocumentReader.ReadAsync(stream, file, new ReaderOptions(), cancellationToken))
            {
                if (item.Document is not null) documents.Add(item.Document);
            }
        }
        return documents;
    }

    /// <summary>Untimed passes in a row that compiled no method before the JIT counts as done.</summary>
    public const int QuietPassesNeeded = 3;

    public IngestBenchmarkResult Run(IReadOnlyList<RawDocument> documents, double minSeconds = 2, double maxWarmupSeconds = 30)
    {
        var bytes = documents.Sum(d => (long)Encoding.UTF8.GetByteCount(d.Text));
        var megabytes = bytes / 1e6;
        var chain = new IngestChain(options, []);
        var (warmupPasses, warmupSeconds) = WarmUp(chain, documents, minSeconds, maxWarmupSeconds);

        var passes = 0;
        var passSeconds = new List<double>();
        var cpuBefore = Environment.CpuUsage.TotalTime;
        var clock = Stopwatch.StartNew();
        do
        {
            var passStart = clock.Elapsed.TotalSeconds;
            foreach (var document in documents) chain.Process(document);
            passSeconds.Add(clock.Elapsed.TotalSeconds - passStart);
            passes++;
        }
        while (clock.Elapsed.TotalSeconds < minSeconds);
        var chainSeconds = clock.Elapsed.TotalSeconds;
        var perCore = megabytes * passes / chainSeconds;
        // The process's CPU time over the same single-threaded span (the chain, plus what little GC
        // and JIT work runs beside it): on a shared machine, time spent waiting for a core is not counted.
        var perCpuSecond = megabytes * passes / (Environment.CpuUsage.TotalTime - cpuBefore).TotalSeconds;

        var cores = Environment.ProcessorCount;
        clock.Restart();
        Parallel.For(0, cores * passes, new ParallelOptions { MaxDegreeOfParallelism = cores }, _ => { }); // warm the pool
        clock.Restart();
        Parallel.ForEach(Enumerable.Range(0, passes * cores).SelectMany(_ => documents), new ParallelOptions { MaxDegreeOfParallelism = cores },
            () => new IngestChain(options, []), (document, _, local) => { local.Process(document); return local; }, _ => { });
        var parallel = megabytes * passes * cores / clock.Elapsed.TotalSeconds;

        var normalised = documents.Select(d => chain.Normalizer.Normalize(d.Text)).ToList();
        var views = normalised.Select(Split).ToList();
        var letterWords = normalised.Select(t => LetterWords.Of(t)).ToList();
        var runs = new LetterWords();
        var steps = new List<StepThroughput>
        {
            Time("normalise", megabytes, passes, () => { foreach (var d in documents) chain.Normalizer.Normalize(d.Text); }),
            Time("split (lines, words)", megabytes, passes, () => { foreach (var t in normalised) Split(t); }),
            // The chain finds the letter runs once and language ID, toxicity and demographics read them.
            Time("letter runs", megabytes, passes, () => { foreach (var t in normalised) runs.Tokenize(t); }),
            Time("language id", megabytes, passes, () => { for (var i = 0; i < normalised.Count; i++) chain.LanguageIdentifier.Identify(normalised[i], letterWords[i]); }),
            Time("gopher repetition", megabytes, passes, () => { foreach (var v in views) chain.GopherRepetition.Check(v); }),
            Time("gopher quality", megabytes, passes, () => { foreach (var v in views) chain.GopherQuality.Check(v, true); }),
            Time("c4", megabytes, passes, () => { foreach (var v in views) chain.C4.Apply(v, true); }),
            Time("fineweb", megabytes, passes, () => { foreach (var v in views) chain.FineWeb.Check(v); }),
            Time("pii", megabytes, passes, () => { foreach (var t in normalised) chain.Pii.Redact(t); }),
            // One walk over the runs for both, as the chain does.
            Time("toxicity, demographics", megabytes, passes, () => { for (var i = 0; i < normalised.Count; i++) chain.Annotator.Annotate(normalised[i], letterWords[i], "en", countDemographics: true); }),
        };
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return new IngestBenchmarkResult(documents.Count, Math.Round(megabytes, 3), passes, Math.Round(perCore, 2), cores, Math.Round(parallel, 2),
            steps, Math.Round(process.PeakWorkingSet64 / 1e6, 1), TargetPerCore, Math.Round(perCpuSecond, 2),
            warmupPasses, warmupSeconds, Spread(passSeconds, megabytes));
    }

    private static PassSpread Spread(List<double> passSeconds, double megabytes)
    {
        var rates = passSeconds.Select(seconds => megabytes / seconds).Order().ToList();
        return new PassSpread(Math.Round(rates[^1], 2), Math.Round(rates[rates.Count / 2], 2), Math.Round(rates[rates.Count / 10], 2));
    }

    /// <summary>
    /// Untimed passes until the chain runs the code it will keep: at least two passes and half the timed
    /// span, then on until <see cref="QuietPassesNeeded"/> passes in a row compiled no method (at most
    /// <paramref name="maxSeconds"/>). Tiered JIT promotes hot methods in the background for several
    /// seconds; a timed span that overlaps it measures slower tier-0 and instrumented code, and the
    /// compiler's own CPU beside the chain (with a fixed 1.5 s warm-up the process used 15-20 % more CPU
    /// than the single-threaded chain, and the chain ran about 12 % slower than later in the same process).
    /// </summary>
    private static (int Passes, double Seconds) WarmUp(IngestChain chain, IReadOnlyList<RawDocument> documents, double minSeconds, double maxSeconds)
    {
        var clock = Stopwatch.StartNew();
        var passes = 0;
        var quiet = 0;
        while (true)
        {
            var compiled = JitInfo.GetCompiledMethodCount();
            foreach (var document in documents) chain.Process(document);
            passes++;
            quiet = JitInfo.GetCompiledMethodCount() == compiled ? quiet + 1 : 0;
            var seconds = clock.Elapsed.TotalSeconds;
            if (seconds >= maxSeconds || (passes >= 2 && seconds >= minSeconds / 2 && quiet >= QuietPassesNeeded)) return (passes, Math.Round(seconds, 2));
        }
    }

    /// <summary>
    /// The view with its repeated lines and paragraphs found: the view keeps them once asked, and the
    /// steps below reuse the same views pass after pass, so the work is counted here, once per pass.
    /// </summary>
    private static DocumentView Split(string text)
    {
        var view = new DocumentView(text);
        _ = view.RepeatedLines;
        _ = view.RepeatedParagraphs;
        return view;
    }

    private static StepThroughput Time(string name, double megabytes, int passes, Action pass)
    {
        pass();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < passes; i++) pass();
        var seconds = clock.Elapsed.TotalSeconds;
        return new StepThroughput(name, Math.Round(megabytes * passes / seconds, 2), Math.Round(seconds, 3));
    }
}
