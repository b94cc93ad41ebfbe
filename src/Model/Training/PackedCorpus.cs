using Pipeline.Model.Tokenization;
using static TorchSharp.torch;

namespace Pipeline.Model.Training;

/// <summary>
/// Documents tokenized, each followed by EOS, concatenated and cut into fixed-length windows of
/// SequenceLength + 1 tokens (inputs and next-token targets). The last windows are held out for
/// eval. Training order is a fresh seeded permutation every epoch, so a (epoch, cursor) pair
/// identifies the data position exactly and resume needs no stored order.
/// </summary>
public sealed class PackedCorpus
{
    private readonly int[] tokens;
    private readonly int[] documents;
    private readonly int sequenceLength;
    private readonly int trainCount;
    private readonly int evalCount;

    public PackedCorpus(IEnumerable<string> texts, TextTokenizer tokenizer, int sequenceLength, double evalFraction)
    {
        var eos = tokenizer.EosId ?? throw new ArgumentException("packing needs a tokenizer with an EOS token");
        var ids = new List<int>();
        var docs = new List<int>();
        var doc = 0;
        foreach (var text in texts)
        {
            if (string.IsNullOrWhiteSpace(text)) continue;
            foreach (var id in tokenizer.Encode(text)) { ids.Add(id); docs.Add(doc); }
            ids.Add(eos);
            docs.Add(doc);
            doc++;
        }
        tokens = ids.ToArray();
        documents = docs.ToArray();
        DocumentCount = doc;
        this.sequenceLength = sequenceLength;
        var windows = tokens.Length > sequenceLength ? (tokens.Length - 1) / sequenceLength : 0;
        if (windows < 1)
            throw new ArgumentException($"corpus has {tokens.Length} tokens: too few for one sequence of {sequenceLength} + 1");
        evalCount = windows >= 2 ? Math.Max(1, (int)Math.Round(windows * evalFraction)) : 0;
        if (evalFraction <= 0) evalCount = 0;
        trainCount = windows - evalCount;
        Fingerprint = $"{tokens.Length}:{Hash(tokens)}";
    }

    public int DocumentCount { get; }
    public int TokenCount => tokens.Length;
    public int TrainSequences => trainCount;
    public int EvalSequences => evalCount;
    /// <summary>Identifies the tokenized corpus, so resume refuses a different one.</summary>
    public string Fingerprint { get; }

    public int[] EpochOrder(long seed, int epoch)
    {
        var order = Enumerable.Range(0, trainCount).ToArray();
        new Random(HashCode.Combine(seed, epoch)).Shuffle(order);
        return order;
    }

    /// <summary>Batch of windows: inputs [B, T], targets [B, T], and (for isolation) document ids and positions.</summary>
    public Batch MakeBatch(IReadOnlyList<int> windows, bool isolate, Device device)
    {
        var b = windows.Count;
        var t = sequenceLength;
        var input = new long[b * t];
        var target = new long[b * t];
        var doc = isolate ? new long[b * t] : null;
        var pos = isolate ? new long[b * t] : null;
        for (var i = 0; i < b; i++)
        {
            var start = windows[i] * t;
            for (var j = 0; j < t; j++)
            {
                input[i * t + j] = tokens[start + j];
                target[i * t + j] = tokens[start + j + 1];
                if (doc is null || pos is null) continue;
                doc[i * t + j] = documents[start + j];
                pos[i * t + j] = j > 0 && documents[start + j] == documents[start + j - 1] ? pos[i * t + j - 1] + 1 : 0;
            }
        }
        Tensor Make(long[] v) => tensor(v, [b, t], ScalarType.Int64).to(device);
        return new Batch(Make(input), Make(target), doc is null ? null : Make(doc), pos is null ? null : Make(pos));
    }

    /// <summary>Index of the i-th held-out window.</summary>
    public int EvalWindow(int i) => trainCount + i % Math.Max(1, evalCount);

    private static ulong Hash(int[] values)
    {
        var h = 14695981039346656037UL;
        foreach (var v in values) h = (h ^ (uint)v) * 1099511628211UL;
        return h;
    }

    public sealed record Batch(Tensor Input, Tensor Target, Tensor? DocumentIds, Tensor? PositionIds);
}
