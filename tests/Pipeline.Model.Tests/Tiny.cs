using Pipeline.Model.Llama;

namespace Pipeline.Model.Tests;

internal static class Tiny
{
    public static LlamaConfig Config(int vocab = 97, int kvHeads = 2, bool tied = false) => new()
    {
        HiddenSize = 32,
        IntermediateSize = 64,
        NumAttentionHeads = 4,
        NumKeyValueHeads = kvHeads,
        NumHiddenLayers = 2,
        VocabSize = vocab,
        MaxPositionEmbeddings = 128,
        TieWordEmbeddings = tied,
    };

    /// <summary>A fresh folder under this test run's root, which is deleted when the process exits.</summary>
    public static string TempDir(string prefix = "")
    {
        var dir = Path.Combine(RunRoot.Value, prefix + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    // One root per test process: checkpoints written by the training tests add up to gigabytes over
    // repeated runs, and a shared machine's /tmp filled up before this existed. The test host is often
    // killed rather than exited, so each run also removes the roots of runs whose process is gone.
    private static readonly Lazy<string> RunRoot = new(() =>
    {
        var parent = Path.Combine(Path.GetTempPath(), "pipeline-model-tests");
        Directory.CreateDirectory(parent);
        foreach (var stale in Directory.EnumerateDirectories(parent).Where(IsOrphaned)) DeleteQuietly(stale);
        var root = Path.Combine(parent, $"run-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(root);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => DeleteQuietly(root);
        return root;
    });

    /// <summary>A folder of an older layout, or a run root whose process no longer exists.</summary>
    private static bool IsOrphaned(string folder)
    {
        var parts = Path.GetFileName(folder).Split('-');
        if (parts is not ["run", var pid, _] || !int.TryParse(pid, out var processId)) return true;
        try { using var process = System.Diagnostics.Process.GetProcessById(processId); return process.HasExited; }
        catch (ArgumentException) { return true; }
    }

    private static void DeleteQuietly(string root)
    {
        try { Directory.Delete(root, recursive: true); }
        catch (IOException) { } // a file still open elsewhere: leave the rest for the OS's tmp cleaning
        catch (UnauthorizedAccessException) { }
    }

    public static float MaxAbsDiff(TorchSharp.torch.Tensor a, TorchSharp.torch.Tensor b) =>
        (a - b).abs().max().item<float>();
}
