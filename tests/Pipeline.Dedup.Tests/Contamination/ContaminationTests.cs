using System.Text.RegularExpressions;
using Pipeline.Dedup.Contamination;
using Pipeline.Dedup.Tests.Support;

namespace Pipeline.Dedup.Tests.Contamination;

public sealed partial class ContaminationTests
{
    [GeneratedRegex("[A-Za-z0-9]+")]
    private static partial Regex Word();

    /// <summary>Benchmark samples of exactly 50 tokens each, from Brown texts the corpus does not otherwise contain.</summary>
    private static List<string[]> SampleWords()
        => SampleData.Brown().Skip(50).Take(6).Select(d => Word().Matches(d.Text).Select(m => m.Value).Take(50).ToArray()).ToList();

    private static string Planted(string[] words, int from, int to, params int[] replaced)
        => string.Join(' ', Enumerable.Range(from, to - from).Select(i => replaced.Contains(i) ? "zzzq" : words[i]));

    private static (ContaminationAnalyzer Analyzer, List<(string Id, string Text)> Corpus) Build(IEnumerable<(string Id, string Text)>? corpusOverride = null)
    {
        var words = SampleWords();
        var filler = SampleData.Brown().Take(40).ToList();
        var corpus = corpusOverride?.ToList() ?? filler.Concat(
        [
            ("planted-whole", $"{filler[0].Text[..300]} {Planted(words[0], 0, 50)} {filler[1].Text[..300]}"),
            ("planted-middle-30", $"{filler[2].Text[..200]} {Planted(words[1], 10, 40)} and so on."),
            ("planted-8-only", $"Intro. {Planted(words[2], 0, 8)} outro."),
            ("planted-20-two-mismatches", Planted(words[3], 0, 20, 12, 15)),
            ("planted-36-five-mismatches", Planted(words[4], 0, 36, 20, 22, 24, 26, 28)),
        ]).ToList();
        var analyzer = new ContaminationAnalyzer(new ContaminationOptions());
        analyzer.AddBenchmark("brown-qa", words.Select((w, i) => new BenchmarkSample($"s{i}", string.Join(' ', w))));
        Parallel.ForEach(corpus, d => analyzer.Scan(d.Id, d.Text));
        return (analyzer, corpus);
    }

    [Fact]
    public void Planted_passages_of_known_length_are_bucketed_as_the_paper_defines()
    {
        var report = Build().Analyzer.Report();
        var benchmark = Assert.Single(report.Benchmarks);
        var details = benchmark.Details.ToDictionary(d => d.Id);
        Assert.All(details.Values, d => Assert.Equal(50, d.Tokens));

        Assert.Equal((1.0, "dirty"), (details["s0"].ContaminatedFraction, details["s0"].Bucket));
        Assert.Equal((0.6, "not_clean"), (details["s1"].ContaminatedFraction, details["s1"].Bucket));
        Assert.Equal((0.0, "clean"), (details["s2"].ContaminatedFraction, details["s2"].Bucket));
        // The two mismatches lie inside the span (skip-gram budget 4), so all 20 planted tokens count.
        Assert.Equal((0.4, "not_clean"), (details["s3"].ContaminatedFraction, details["s3"].Bucket));
        // The fifth mismatch (token 28) exceeds the budget: the span ends after token 27, and the 7 tokens
        // planted after it are too few for a span of their own.
        Assert.Equal(28 / 50.0, details["s4"].ContaminatedFraction, 6);
        Assert.Equal(0.0, details["s5"].ContaminatedFraction);

        Assert.Equal((6, 2, 4, 5, 1), (benchmark.Samples, benchmark.Clean, benchmark.NotClean, benchmark.NotDirty, benchmark.Dirty));
        Assert.Equal(["planted-whole"], details["s0"].MatchingDocumentIds);
        Assert.Empty(details["s2"].MatchingDocumentIds);
        Assert.Equal(["planted-20-two-mismatches", "planted-36-five-mismatches", "planted-middle-30", "planted-whole"], report.ContaminatingDocuments.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Decontamination_removes_the_matching_documents_and_leaves_every_sample_clean()
    {
        var (analyzer, corpus) = Build();
        var contaminating = analyzer.Report().ContaminatingDocuments;
        var cleaned = Decontaminator.Filter(corpus, d => d.Id, contaminating).ToList();

        Assert.Equal(corpus.Count - 4, cleaned.Count);
        Assert.DoesNotContain(cleaned, d => d.Id.StartsWith("planted-", StringComparison.Ordinal) && d.Id != "planted-8-only");
        var after = Build(cleaned).Analyzer.Report();
        Assert.All(after.Benchmarks.Single().Details, d => Assert.Equal((0.0, "clean"), (d.ContaminatedFraction, d.Bucket)));
        Assert.Empty(after.ContaminatingDocuments);
    }

    [Fact]
    public void Multiple_choice_samples_are_verbalised_with_the_chosen_answer()
    {
        var sample = BenchmarkSample.Parse("""{"id": 7, "question": "Which gas do plants absorb?", "choices": ["Oxygen", "Carbon dioxide"], "answer": 1}""", 1);
        Assert.Equal(("7", "Which gas do plants absorb? Oxygen Carbon dioxide Carbon dioxide"), (sample.Id, sample.Text));
        Assert.Equal("plain", BenchmarkSample.Parse("""{"id": "a", "text": "plain"}""", 1).Text);
        Assert.Throws<InvalidDataException>(() => BenchmarkSample.Parse("""{"id": "a"}""", 3));
    }
}
