using System.Diagnostics;
using System.Text.Json;

namespace Pipeline.Model.Benchmarks;

/// <summary>
/// The PyTorch reference script in <c>--serve</c> mode for one model size: it builds the model once
/// and answers each request with the training tokens/s of a few steps, so `bench model` can take its
/// own training figures and the reference's in alternating rounds seconds apart. This VM's speed
/// drifts by 2x within minutes; figures taken minutes apart compared the drift as much as the code.
/// </summary>
internal sealed class PyTorchTrainingServer : IDisposable
{
    private readonly Process process;

    private PyTorchTrainingServer(Process process) => this.process = process;

    /// <summary>Starts the server; null (with the reason) when python3 or torch is missing or the script fails to start.</summary>
    public static (PyTorchTrainingServer? Server, string? Error) Start(ProcessStartInfo startInfo)
    {
        startInfo.RedirectStandardInput = true;
        startInfo.RedirectStandardOutput = true;
        startInfo.RedirectStandardError = true;
        startInfo.ArgumentList.Add("--serve");
        try
        {
            var process = Process.Start(startInfo)!;
            var ready = process.StandardOutput.ReadLine();
            if (ready is null || !ready.Contains("\"ready\""))
            {
                var error = process.StandardError.ReadToEnd().Trim();
                process.Kill(entireProcessTree: true);
                process.Dispose();
                return (null, $"python3 reference server did not start: {error}");
            }
            return (new PyTorchTrainingServer(process), null);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return (null, $"python3 reference server failed: {ex.Message}");
        }
    }

    /// <summary>Training tokens/s (median step of <paramref name="steps"/> after one warm-up step), or null if the server died.</summary>
    public double? Train(bool bf16, int steps)
    {
        try
        {
            process.StandardInput.WriteLine(JsonSerializer.Serialize(new { bf16, steps }));
            process.StandardInput.Flush();
            var line = process.StandardOutput.ReadLine();
            if (line is null) return null;
            using var answer = JsonDocument.Parse(line);
            return answer.RootElement.GetProperty("train_tokens_per_second").GetDouble();
        }
        catch (Exception ex) when (ex is IOException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }

    public void Dispose()
    {
        try
        {
            process.StandardInput.Close();
            if (!process.WaitForExit(5000)) process.Kill(entireProcessTree: true);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException)
        {
        }
        process.Dispose();
    }
}
