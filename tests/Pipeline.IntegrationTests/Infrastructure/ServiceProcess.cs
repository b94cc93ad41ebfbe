using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;

namespace Pipeline.IntegrationTests.Infrastructure;

/// <summary>
/// A real service process (<c>dotnet src/&lt;Service&gt;/bin/.../Pipeline.&lt;Service&gt;.dll</c>, built
/// through the test project's references), configured only through environment variables as compose does it.
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

    /// <param name="service">The project folder under src/, e.g. <c>Ingest</c>.</param>
    public static ServiceProcess Start(string service, IReadOnlyDictionary<string, string> environment, string workingDirectory)
    {
        var dll = ServiceAssembly(service);
        if (!File.Exists(dll)) throw new FileNotFoundException($"{dll} is missing: build the solution (or this test project, which references the services) first.", dll);
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
        var started = new ServiceProcess(process);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) started._stdout.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) started._stderr.Enqueue(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return started;
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

    /// <summary>Polls <c>/health/ready</c> on <paramref name="port"/> until it answers 200 (at most a minute); throws with the output otherwise.</summary>
    public async Task WaitReadyAsync(int port)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline && !HasExited)
        {
            try
            {
                using var response = await http.GetAsync("/health/ready");
                if (response.StatusCode == System.Net.HttpStatusCode.OK) return;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // not listening yet
            }
            await Task.Delay(250);
        }
        throw new InvalidOperationException($"The service on port {port} never became ready\n{Output}");
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

    /// <summary>The service's own build output, in the configuration and framework of this test build.</summary>
    private static string ServiceAssembly(string service)
    {
        var configuration = typeof(ServiceProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Name;
        return Path.Combine(TestEnvironment.RepositoryRoot, "src", service, "bin", configuration, framework, $"Pipeline.{service}.dll");
    }

    // The service reads Bus__*, Blob__*, ... from its environment: only the test's own values count.
    private static bool IsPipelineSetting(string key)
        => key.Contains("__", StringComparison.Ordinal) && !key.StartsWith("DOTNET_", StringComparison.Ordinal);
}
