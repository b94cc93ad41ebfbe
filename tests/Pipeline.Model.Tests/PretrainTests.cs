using Pipeline.Model.Llama;
using Pipeline.Model.Training;
using static TorchSharp.torch;

namespace Pipeline.Model.Tests;

[Collection(TorchCollection.Name)]
public sealed class PretrainTests
{
    private static readonly string[] Corpus = Enumerable.Range(0, 24)
        .Select(i => i % 3 == 0 ? "the cat sat on the mat." : i % 3 == 1 ? "a cat ran to the hat, then sat." : "the dog is on a log.")
        .ToArray();

    private static LlamaConfig Config() => Tiny.Config(vocab: TinyTokenizer.Create().VocabSize) with { HiddenSize = 64, IntermediateSize = 128 };

    private static PretrainOptions Options(string? checkpoints = null) => new()
    {
        SequenceLength = 32, BatchSize = 4, MaxSteps = 8, PeakLearningRate = 3e-3, WarmupSteps = 2,
        EvalEvery = 4, EvalFraction = 0.1, CheckpointEvery = 4, CheckpointDirectory = checkpoints, Seed = 5,
    };

    [Fact]
    public void Tiny_model_overfits_a_tiny_corpus_and_writes_a_loss_curve()
    {
        var tok = TinyTokenizer.Create();
        using var model = LlamaForCausalLM.Create(Config(), seed: 1);
        var png = Path.Combine(Tiny.TempDir(), "loss.png");
        var reports = new List<TrainingProgress>();
        var options = Options() with { MaxSteps = 80, WarmupSteps = 8, EvalEvery = 20, LossCurvePath = png };
        var result = new PretrainTrainer(model, tok, options).Train(Corpus, new SyncProgress<TrainingProgress>(reports.Add));
        Assert.True(result.TrainLosses[0].Loss > 4.0, $"first loss {result.TrainLosses[0].Loss}");
        Assert.True(result.FinalLoss < 0.8, $"final loss {result.FinalLoss}");
        Assert.NotNull(result.FinalEvalLoss);
        Assert.Equal(80, reports.Count);
        Assert.Equal(4, reports.Count(r => r.EvalLoss is not null));
        Assert.All(reports, r => Assert.True(r.TokensPerSecond > 0));
        Assert.Equal(3e-3 * 0.1, reports[^1].LearningRate, 8);
        var bytes = File.ReadAllBytes(png);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);
    }

    [Fact]
    public void Resume_after_a_simulated_crash_reproduces_the_same_next_losses()
    {
        var tok = TinyTokenizer.Create();
        List<LossPoint> reference;
        using (var model = LlamaForCausalLM.Create(Config(), seed: 2))
            reference = new PretrainTrainer(model, tok, Options(Tiny.TempDir())).Train(Corpus).TrainLosses.ToList();

        var dir = Tiny.TempDir();
        using (var model = LlamaForCausalLM.Create(Config(), seed: 2))
        {
            var crash = new SyncProgress<TrainingProgress>(p => { if (p.Step == 6) throw new IOException("simulated crash"); });
            Assert.Throws<IOException>(() => new PretrainTrainer(model, tok, Options(dir)).Train(Corpus, crash));
        }
        Assert.EndsWith("step-0000004", TrainingCheckpoint.Latest(dir));

        // A fresh process: different init, weights/optimizer/schedule/data position come from the checkpoint.
        using var resumed = LlamaForCausalLM.Create(Config(), seed: 99);
        var result = new PretrainTrainer(resumed, tok, Options(dir)).Train(Corpus);
        Assert.Equal(4, result.ResumedFromStep);
        Assert.Equal(reference.Select(p => p.Loss), result.TrainLosses.Select(p => p.Loss));
    }

    [Fact]
    public void Nan_loss_stops_with_a_clear_error_and_keeps_the_last_good_checkpoint()
    {
        var tok = TinyTokenizer.Create();
        var dir = Tiny.TempDir();
        using var model = LlamaForCausalLM.Create(Config(), seed: 3);
        var poison = new SyncProgress<TrainingProgress>(p =>
        {
            if (p.Step != 5) return;
            using var _ = no_grad();
            model.state_dict()["model.norm.weight"].fill_(double.NaN);
        });
        var ex = Assert.Throws<TrainingDivergedException>(() => new PretrainTrainer(model, tok, Options(dir)).Train(Corpus, poison));
        Assert.Equal(6, ex.Step);
        Assert.Contains("loss is not finite", ex.Message);
        Assert.EndsWith("step-0000004", ex.LastGoodCheckpoint);
        using var good = ModelFolder.LoadCausalLM(ex.LastGoodCheckpoint!);
        Assert.False(good.state_dict()["model.norm.weight"].isnan().any().item<bool>());
    }

    [Fact]
    public void Isolated_documents_are_modelled_as_if_alone_and_shared_attention_is_not()
    {
        using var model = LlamaForCausalLM.Create(Tiny.Config(), seed: 4);
        model.eval();
        using var _ = no_grad();
        using var packed = tensor(new long[] { 5, 6, 7, 2, 8, 9, 10, 11 }).view(1, 8);
        using var docs = tensor(new long[] { 0, 0, 0, 0, 1, 1, 1, 1 }).view(1, 8);
        using var pos = tensor(new long[] { 0, 1, 2, 3, 0, 1, 2, 3 }).view(1, 8);
        using var alone = tensor(new long[] { 8, 9, 10, 11 }).view(1, 4);
        using var isolated = model.Forward(packed, new Pipeline.Model.Llama.ForwardOptions(PositionIds: pos, DocumentIds: docs));
        using var reference = model.Forward(alone);
        Assert.True(Tiny.MaxAbsDiff(isolated.narrow(1, 4, 4), reference) < 1e-5f);
        using var shared = model.Forward(packed);
        Assert.True(Tiny.MaxAbsDiff(shared.narrow(1, 4, 4), reference) > 1e-3f);
    }

    [Fact]
    public void Packing_separates_documents_with_eos_and_restarts_positions()
    {
        var tok = TinyTokenizer.Create();
        var corpus = new PackedCorpus(["the cat", "sat on the mat", "a hat"], tok, 4, 0);
        Assert.Equal(3, corpus.DocumentCount);
        var batch = corpus.MakeBatch([0, 1], isolate: true, CPU);
        var flat = batch.Input.data<long>().ToArray().Concat(batch.Target.data<long>().ToArray().TakeLast(1)).ToArray();
        var expected = new[] { "the cat", "sat on the mat", "a hat" }.SelectMany(d => tok.Encode(d).Append(2)).Take(9).Select(i => (long)i);
        Assert.Equal(expected, flat);
        var docs = batch.DocumentIds!.data<long>().ToArray();
        var positions = batch.PositionIds!.data<long>().ToArray();
        var boundary = Array.IndexOf(docs, 1L);
        Assert.Equal(0, positions[boundary]);
        Assert.Equal(corpus.TrainSequences, corpus.EpochOrder(1, 0).Length);
        Assert.Equal(corpus.EpochOrder(1, 3), corpus.EpochOrder(1, 3));
    }

    [Fact]
    public void Schedule_warms_up_linearly_then_decays_to_ten_percent()
    {
        var s = new LearningRateSchedule(1.0, 10, 110, 0.1);
        Assert.Equal(0.1, s.At(0), 10);
        Assert.Equal(1.0, s.At(9), 10);
        Assert.Equal(1.0, s.At(10), 10);
        Assert.Equal(0.55, s.At(10 + 99 / 2.0 is var mid ? (int)mid : 0), 1);
        Assert.Equal(0.1, s.At(109), 10);
    }

    /// <summary>Progress&lt;T&gt; posts to the thread pool; tests need the callback inline.</summary>
    private sealed class SyncProgress<T>(Action<T> action) : IProgress<T>
    {
        public void Report(T value) => action(value);
    }
}
