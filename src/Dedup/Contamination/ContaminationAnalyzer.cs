using System.Collections.Concurrent;
using System.Numerics;
using System.Runtime.InteropServices;

namespace Pipeline.Dedup.Contamination;

/// <summary>
/// Llama 2 A.6 contamination. Every MinMatchTokens-gram of every benchmark sample goes into a hash
/// index (benchmarks are small, the corpus is streamed). A corpus window that hits the index and
/// agrees exactly for MinMatchTokens tokens seeds a match, which then extends forward through up to
/// SkipBudget mismatched tokens; the span ends at its last matching token (no trailing mismatches,
/// none in the exact seed). Benchmark tokens inside any span are contaminated. Scanning is
/// thread-safe, so corpus documents may be scanned in parallel.
/// </summary>
public sealed class ContaminationAnalyzer
{
    private readonly ContaminationOptions _options;
    private readonly List<(string Benchmark, List<Sample> Samples)> _benchmarks = [];
    private readonly Dictionary<ulong, List<(Sample Sample, int Position)>> _index = [];
    private readonly ConcurrentDictionary<string, byte> _contaminating = new();
    private long _documents;

    public ContaminationAnalyzer(ContaminationOptions options)
    {
        _options = options;
    }

    public void AddBenchmark(string name, IEnumerable<BenchmarkSample> samples)
    {
        var list = new List<Sample>();
        foreach (var sample in samples)
        {
            var s = new Sample(sample.Id, ContaminationTokenizer.Tokenize(sample.Text));
            list.Add(s);
            for (var p = 0; p + _options.MinMatchTokens <= s.Tokens.Length; p++)
            {
                ref var entries = ref CollectionsMarshal.GetValueRefOrAddDefault(_index, GramHash(s.Tokens, p), out _);
                (entries ??= []).Add((s, p));
            }
        }
        _benchmarks.Add((name, list));
    }

    /// <returns>True when the document shares a span with some sample (a decontamination candidate).</returns>
    public bool Scan(string documentId, string text)
    {
        Interlocked.Increment(ref _documents);
        var tokens = ContaminationTokenizer.Tokenize(text);
        var l = _options.MinMatchTokens;
        var matched = false;
        for (var q = 0; q + l <= tokens.Length; q++)
        {
            if (!_index.TryGetValue(GramHash(tokens, q), out var entries)) continue;
            foreach (var (sample, p) in entries)
            {
                if (!tokens.AsSpan(q, l).SequenceEqual(sample.Tokens.AsSpan(p, l))) continue;
                var end = Extend(sample.Tokens, p, tokens, q);
                // Marks only ever go from false to true, so racing scanners need no lock.
                sample.Marked.AsSpan(p, end - p).Fill(true);
                sample.AddDocument(documentId, _options.MaxDocumentIdsPerSample);
                matched = true;
            }
        }
        if (matched) _contaminating.TryAdd(documentId, 0);
        return matched;
    }

    /// <summary>End (exclusive) of the span seeded at (p, q) in the sample, through at most SkipBudget mismatches.</summary>
    private int Extend(ulong[] sample, int p, ulong[] document, int q)
    {
        var end = p + _options.MinMatchTokens;
        var mismatches = 0;
        for (int i = p + _options.MinMatchTokens, j = q + _options.MinMatchTokens; i < sample.Length && j < document.Length; i++, j++)
        {
            if (sample[i] == document[j]) end = i + 1;
            else if (++mismatches > _options.SkipBudget) break;
        }
        return end;
    }

    public ContaminationReport Report()
    {
        var benchmarks = _benchmarks.Select(b =>
        {
            var details = b.Samples.Select(s =>
            {
                var fraction = s.Tokens.Length == 0 ? 0 : (double)s.Marked.Count(m => m) / s.Tokens.Length;
                var bucket = fraction < _options.CleanBelow ? "clean" : fraction >= _options.DirtyAtLeast ? "dirty" : "not_clean";
                return new SampleContamination(s.Id, s.Tokens.Length, fraction, bucket, s.DocumentCount, s.DocumentIds());
            }).ToList();
            return new BenchmarkContamination(b.Benchmark, details.Count,
                Clean: details.Count(d => d.ContaminatedFraction < _options.CleanBelow),
                NotClean: details.Count(d => d.ContaminatedFraction >= _options.CleanBelow),
                NotDirty: details.Count(d => d.ContaminatedFraction < _options.DirtyAtLeast),
                Dirty: details.Count(d => d.ContaminatedFraction >= _options.DirtyAtLeast),
                details);
        }).ToList();
        return new ContaminationReport(_options.MinMatchTokens, _options.SkipBudget, Interlocked.Read(ref _documents), benchmarks)
        {
            ContaminatingDocuments = _contaminating.Keys.Order(StringComparer.Ordinal).ToList(),
        };
    }

    private ulong GramHash(ulong[] tokens, int start)
    {
        var h = 0x9E3779B97F4A7C15UL;
        for (var i = start; i < start + _options.MinMatchTokens; i++) h = (BitOperations.RotateLeft(h, 29) ^ tokens[i]) * 0xFF51AFD7ED558CCD;
        return h;
    }

    private sealed class Sample(string id, ulong[] tokens)
    {
        private readonly HashSet<string> _documents = [];
        private readonly List<string> _firstIds = [];

        public string Id { get; } = id;
        public ulong[] Tokens { get; } = tokens;
        public bool[] Marked { get; } = new bool[tokens.Length];

        public int DocumentCount
        {
            get { lock (_documents) return _documents.Count; }
        }

        public void AddDocument(string id, int maxListed)
        {
            lock (_documents)
            {
                if (_documents.Add(id) && _firstIds.Count < maxListed) _firstIds.Add(id);
            }
        }

        public IReadOnlyList<string> DocumentIds()
        {
            lock (_documents) return _firstIds.Order(StringComparer.Ordinal).ToList();
        }
    }
}
