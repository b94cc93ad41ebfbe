using System.Diagnostics;
using System.Text.Json;
using Pipeline.IntegrationTests.Infrastructure;

namespace Pipeline.IntegrationTests.Compose;

/// <summary>
/// Runs <c>docker-compose config</c> (v2; no Docker engine needed) on the repo's compose file and
/// returns the resolved model as JSON.
/// </summary>
public static class DockerCompose
{
    /// <summary>The docker-compose binary: PIPELINE_TEST_DOCKER_COMPOSE, else docker-compose on PATH; null when absent.</summary>
    public static string? Binary { get; } = Find();

    public static async Task<JsonElement> ConfigAsync(string? envFile = null)
    {
        var start = new ProcessStartInfo(Binary ?? throw new InvalidOperationException("docker-compose is not installed"))
        {
            WorkingDirectory = TestEnvironment.RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // Variables in the test's own environment would win over .env: the file alone must decide.
        foreach (var key in new[] { "RABBITMQ_DEFAULT_USER", "RABBITMQ_DEFAULT_PASS", "SEQ_FIRSTRUN_ADMINPASSWORD", "SEQ_API_KEY", "COMPOSE_FILE", "COMPOSE_PROJECT_NAME" })
        {
            start.Environment.Remove(key);
        }
        foreach (var argument in new[] { "--file", Path.Combine(TestEnvironment.RepositoryRoot, "docker-compose.yml") }) start.ArgumentList.Add(argument);
        if (envFile is not null)
        {
            start.ArgumentList.Add("--env-file");
            start.ArgumentList.Add(envFile);
        }
        foreach (var argument in new[] { "config", "--format", "json" }) start.ArgumentList.Add(argument);

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0) throw new InvalidOperationException($"docker-compose config exited {process.ExitCode}: {await stderr}");
        return JsonDocument.Parse(await stdout).RootElement.Clone();
    }

    private static string? Find()
    {
        if (Environment.GetEnvironmentVariable(TestEnvironment.DockerCompose) is { Length: > 0 } configured && File.Exists(configured)) return configured;
        return (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, "docker-compose"))
            .FirstOrDefault(File.Exists);
    }
}

/// <summary>A fact that is skipped, saying why, where docker-compose is not installed (./test.sh installs it).</summary>
public sealed class ComposeFactAttribute : FactAttribute
{
    public ComposeFactAttribute()
    {
        if (DockerCompose.Binary is null)
        {
            Skip = "docker-compose (v2) is not installed; ./test.sh installs it via scripts/test-infra/install-packages.sh";
        }
    }
}
