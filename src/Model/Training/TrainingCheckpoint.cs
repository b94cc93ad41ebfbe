using Pipeline.Model.Llama;
using Pipeline.Model.Tokenization;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Model.Training;

/// <summary>
/// Resumable checkpoints: <c>step-NNNNNNN/</c> holds an HF model folder plus optimizer.bin and
/// trainer_state.json. A checkpoint is written to a temp folder, renamed, and only then named in
/// <c>latest.txt</c>, so a crash mid-write never leaves a half checkpoint as "latest".
/// </summary>
public static class TrainingCheckpoint
{
    public const string LatestFile = "latest.txt";
    public const string OptimizerFile = "optimizer.bin";
    public const string StateFile = "trainer_state.json";
    private const int Keep = 2;

    public static string Save(string root, int step, LlamaForCausalLM model, TextTokenizer tokenizer, TorchSharp.Modules.AdamW optimizer, TrainerState state)
    {
        Directory.CreateDirectory(root);
        var name = $"step-{step:D7}";
        var final = Path.Combine(root, name);
        var temp = final + ".tmp";
        if (Directory.Exists(temp)) Directory.Delete(temp, true);
        ModelFolder.Save(model, temp, tokenizer);
        using (var stream = File.Create(Path.Combine(temp, OptimizerFile)))
        using (var writer = new BinaryWriter(stream))
            optimizer.save_state_dict(writer);
        state.Save(Path.Combine(temp, StateFile));
        if (Directory.Exists(final)) Directory.Delete(final, true);
        Directory.Move(temp, final);
        File.WriteAllText(Path.Combine(root, LatestFile + ".tmp"), name);
        File.Move(Path.Combine(root, LatestFile + ".tmp"), Path.Combine(root, LatestFile), overwrite: true);
        foreach (var old in Directory.GetDirectories(root, "step-*").Where(d => !d.EndsWith(".tmp")).Order().SkipLast(Keep))
            Directory.Delete(old, true);
        return final;
    }

    /// <summary>The folder named in latest.txt, or null when there is none.</summary>
    public static string? Latest(string root)
    {
        var latest = Path.Combine(root, LatestFile);
        if (!File.Exists(latest)) return null;
        var dir = Path.Combine(root, File.ReadAllText(latest).Trim());
        return Directory.Exists(dir) ? dir : throw new InvalidDataException($"{latest} names {dir}, which does not exist");
    }

    public static TrainerState Restore(string checkpoint, LlamaForCausalLM model, TorchSharp.Modules.AdamW optimizer)
    {
        using (var loaded = ModelFolder.LoadCausalLM(checkpoint))
        using (no_grad())
        {
            var source = loaded.state_dict();
            foreach (var (name, p) in model.state_dict()) p.copy_(source[name]);
        }
        using (var stream = File.OpenRead(Path.Combine(checkpoint, OptimizerFile)))
        using (var reader = new BinaryReader(stream))
            optimizer.load_state_dict(reader);
        var state = TrainerState.Load(Path.Combine(checkpoint, StateFile));
        torch.set_rng_state(tensor(Convert.FromBase64String(state.TorchRngState), ScalarType.Byte));
        return state;
    }

    public static string RngState()
    {
        using var state = torch.get_rng_state();
        return Convert.ToBase64String(state.data<byte>().ToArray());
    }
}
