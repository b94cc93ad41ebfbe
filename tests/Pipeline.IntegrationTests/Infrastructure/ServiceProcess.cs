using System.Collections.Concurrent;
using System.Diagnostics;

namespace Pipeline.IntegrationTests.Infrastructure;

/// <summary>
/// A real service process (<c>dotnet Pipeline.&lt;Service&gt;.dll</c>, copied next to the tests by
/// the project references), configured only through environment variables as compose does it.
/// </summary>
public sealed class ServiceProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stdout = new();
    private readonly ConcurrentQueue<string> _stderr = new();

    private ServiceProcess(Process process)
    {
        _process = process;
    }

    public static ServiceProcess Start(string assemblyName, IReadOnlyDictionary<string, string> environment, string workingDirectory)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, assemblyName + ".dll");
        if (!File.Exists(dll)) throw new FileNotFoundException($"{dll} is missing: reference the service project from the test project.", dll);
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var key in start.Environment.Keys.Where(IsPipelineSetting).ToList()) start.Environment.Remove(key);
        foreach (var (key, value) in environment) start.Environment[key] = value;

        var process = new Process { StartInfo = start };
        var service = new ServiceProcess(process);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) service._stdout.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) service._stderr.Enqueue(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return service;
    }

    public bool HasExited => _process.HasExited;

    public IReadOnlyList<string> StandardError => [.. _stderr];

    /// <summary>Both output streams, for assertion messages.</summary>
    public string Output => $"--- stdout ---\n{string.Join('\n', _stdout)}\n--- stderr ---\n{string.Join('\n', _stderr)}";

    /// <summary>Waits for the process to exit and returns its exit code; null when it still runs after the timeout.</summary>
    public async Task<int?> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            return _process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        _process.Dispose();
    }

    // The service reads Bus__*, Blob__*, ... from its environment: only the test's own values count.
    private static bool IsPipelineSetting(string key)
        => key.Contains("__", StringComparison.Ordinal) && !key.StartsWith("DOTNET_", StringComparison.Ordinal);
}
