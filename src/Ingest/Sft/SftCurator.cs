using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pipeline.BlobStorage;
using Pipeline.Contracts.Messages;
using Pipeline.Contracts.Schemas;
using Pipeline.Contracts.Storage;

namespace Pipeline.Ingest.Sft;

/// <summary>
/// Validates, filters, deduplicates, balances and splits SFT files. Deterministic for a run id:
/// the balance sample is seeded from it and the train/eval split is by prompt hash, so a prompt
/// lands in the same split every time. SFT sets are small, so kept examples are held in memory.
/// </summary>
public sealed class SftCurator(IBlobStore store, IOptions<IngestOptions> options, ILogger<SftCurator> logger)
{
    private static readonly JsonSerializerOptions Json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private sealed record Candidate(SftExample Example, PromptSignature Signature, string Origin);

    public async Task<SftDatasetCurated> CurateAsync(CurateSft command, CancellationToken cancellationToken)
    {
        var settings = options.Value.Sft;
        var quarantine = new StringBuilder();
        var filteredLog = new StringBuilder();
        var filtered = new Dictionary<string, long>();
        var kept = new List<Candidate>();
        long read = 0, quarantined = 0, exact = 0, near = 0;
        var exactSeen = new HashSet<ulong>();
        foreach (var file in command.Files)
        {
            await using var stream = await store.OpenReadAsync(file, cancellationToken);
            using var reader = new StreamReader(stream, new UTF8Encoding(false, throwOnInvalidBytes: false));
            long line = 0;
            while (await reader.ReadLineAsync(cancellationToken) is { } text)
            {
                line++;
                if (string.IsNullOrWhiteSpace(text)) continue;
                read++;
                var origin = $"{file.Name}:{line}";
                var (example, problem) = text.Length > settings.MaxLineBytes ? (null, $"line longer than {settings.MaxLineBytes} bytes") : SftRecordParser.Parse(text);
                if (text.Contains('\uFFFD')) (example, problem) = (null, "invalid UTF-8");
                if (example is null)
                {
                    quarantined++;
                    quarantine.AppendLine(JsonSerializer.Serialize(new { file = file.Name, line, reason = problem }, Json));
                    continue;
                }
                var prompt = string.Join("\n", example.Messages.Where(m => m.Role == ChatRoles.User).Select(m => m.Content));
                var reason = AnswerProblem(example, prompt, settings);
                var signature = new PromptSignature(prompt);
                if (reason is null && !exactSeen.Add(signature.ExactHash)) { reason = "duplicate:exact_prompt"; exact++; }
                if (reason is null && kept.Any(k => k.Signature.Similarity(signature) >= settings.NearDuplicateJaccard)) { reason = "duplicate:near_prompt"; near++; }
                if (reason is not null)
                {
                    filtered[reason] = filtered.GetValueOrDefault(reason) + 1;
                    filteredLog.AppendLine(JsonSerializer.Serialize(new { origin, reason }, Json));
                    continue;
                }
                kept.Add(new Candidate(example, signature, origin));
            }
        }
        var (balanced, droppedForBalance) = Balance(kept, command.SafetyRatio, command.RunId);
        foreach (var dropped in kept.Except(balanced)) filteredLog.AppendLine(JsonSerializer.Serialize(new { origin = dropped.Origin, reason = "balance" }, Json));
        var (train, eval) = Split(balanced, command.EvalFraction);

        var container = options.Value.SftContainer;
        var folder = $"curated/{command.RunId:N}";
        var trainBlob = await WriteExamplesAsync(container, $"{folder}/train.jsonl", train, cancellationToken);
        var evalBlob = await WriteExamplesAsync(container, $"{folder}/eval.jsonl", eval, cancellationToken);
        var quarantineBlob = quarantined > 0 ? await store.WriteTextAsync(container, $"{folder}/quarantine.jsonl", quarantine.ToString(), cancellationToken: cancellationToken) : null;
        await store.WriteTextAsync(container, $"{folder}/filtered.jsonl", filteredLog.ToString(), cancellationToken: cancellationToken);
        var safety = balanced.Count(c => c.Example.Category == "safety");
        var summary = new SftCurationSummary
        {
            Read = read,
            Quarantined = quarantined,
            Filtered = filtered,
            ExactDuplicates = exact,
            NearDuplicates = near,
            DroppedForBalance = droppedForBalance,
            SafetyRatioTarget = command.SafetyRatio,
            SafetyRatio = balanced.Count == 0 ? 0 : Math.Round((double)safety / balanced.Count, 4),
            Categories = new Dictionary<string, long> { ["helpfulness"] = balanced.Count - safety, ["safety"] = safety },
            Train = train.Count,
            Eval = eval.Count,
        };
        var summaryBlob = await store.WriteJsonAsync(container, $"{folder}/summary.json", summary, cancellationToken: cancellationToken);
        logger.LogInformation("SFT run {RunId}: read {Read}, train {Train}, eval {Eval}, quarantined {Quarantined}, duplicates {Duplicates}, safety share {SafetyShare}",
            command.RunId, read, train.Count, eval.Count, quarantined, exact + near, summary.SafetyRatio);
        return new SftDatasetCurated
        {
            RunId = command.RunId,
            IterationId = command.IterationId,
            Train = trainBlob,
            Eval = evalBlob,
            Quarantined = quarantineBlob,
            ExamplesRead = read,
            TrainExamples = train.Count,
            EvalExamples = eval.Count,
            QuarantinedExamples = quarantined,
            Summary = summaryBlob,
        };
    }

    /// <summary>Answer rules: long enough to be an answer, not a wall of text, not the prompt echoed back, not one line repeated.</summary>
    internal static string? AnswerProblem(SftExample example, string prompt, SftCurationOptions settings)
    {
        foreach (var answer in example.Messages.Where(m => m.Role == ChatRoles.Assistant).Select(m => m.Content))
        {
            var words = answer.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (words.Length < settings.MinAnswerWords) return "answer:too_short";
            if (words.Length > settings.MaxAnswerWords) return "answer:too_long";
            if (PromptSignature.Normalise(answer) == PromptSignature.Normalise(prompt)) return "answer:echoes_prompt";
            var lines = answer.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (lines.Length >= 4 && lines.Distinct(StringComparer.Ordinal).Count() * 2 <= lines.Length) return "answer:repeated_lines";
        }
        return null;
    }

    /// <summary>
    /// Caps the over-represented category so safety examples make up the target share (never adds
    /// examples). A ratio outside (0, 1) keeps only one category.
    /// </summary>
    private static (List<Candidate> Kept, long Dropped) Balance(List<Candidate> candidates, double ratio, Guid runId)
    {
        var safety = candidates.Where(c => c.Example.Category == "safety").ToList();
        var helpful = candidates.Where(c => c.Example.Category != "safety").ToList();
        var random = new Random(runId.GetHashCode());
        int keepSafety = safety.Count, keepHelpful = helpful.Count;
        if (ratio <= 0) keepSafety = 0;
        else if (ratio >= 1) keepHelpful = 0;
        else if (safety.Count > ratio * candidates.Count) keepSafety = (int)Math.Floor(ratio * helpful.Count / (1 - ratio));
        else keepHelpful = Math.Min(helpful.Count, (int)Math.Floor(safety.Count * (1 - ratio) / ratio));
        var keptSafety = safety.OrderBy(_ => random.Next()).Take(keepSafety).ToHashSet();
        var keptHelpful = helpful.OrderBy(_ => random.Next()).Take(keepHelpful).ToHashSet();
        var kept = candidates.Where(c => keptSafety.Contains(c) || keptHelpful.Contains(c)).ToList();
        return (kept, candidates.Count - kept.Count);
    }

    /// <summary>By prompt hash, so a prompt always falls in the same split; at least one eval example when there are two or more.</summary>
    private static (List<SftExample> Train, List<SftExample> Eval) Split(List<Candidate> candidates, double evalFraction)
    {
        var cut = (ulong)(Math.Clamp(evalFraction, 0, 1) * ulong.MaxValue);
        var eval = candidates.Where(c => c.Signature.ExactHash < cut).ToList();
        if (eval.Count == 0 && candidates.Count >= 2 && evalFraction > 0) eval.Add(candidates.MinBy(c => c.Signature.ExactHash)!);
        var train = candidates.Except(eval).Select(c => c.Example).ToList();
        return (train, eval.Select(c => c.Example).ToList());
    }

    private async Task<BlobReference> WriteExamplesAsync(string container, string name, List<SftExample> examples, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        foreach (var example in examples) text.AppendLine(JsonSerializer.Serialize(example, Json));
        return await store.WriteTextAsync(container, name, text.ToString(), cancellationToken: cancellationToken);
    }
}
