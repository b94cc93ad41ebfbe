using System.Diagnostics;
using System.Text.Json;

namespace Pipeline.EndToEnd.Tests;

/// <summary>The built CLI run as a process, as a user runs it, with a configuration mistake in its environment.</summary>
public sealed class CliConfigurationErrorTests : TempDataDirectory
{
    private async Task<(int ExitCode, string Output, string Error)> RunAsync(IDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "pipeline.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.ArgumentList.Add("--data-dir");
        start.ArgumentList.Add(DataDirectory);
        foreach (var (key, value) in environment) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return (process.ExitCode, await output, await error);
    }

    [Fact]
    public async Task A_bad_setting_ends_the_command_with_one_line_naming_the_key_and_exit_code_2()
    {
        var input = Path.Combine(DataDirectory, "docs.jsonl");
        await File.WriteAllTextAsync(input, "{\"id\": \"a\", \"text\": \"hello\"}\n");

        var (exitCode, output, error) = await RunAsync(new Dictionary<string, string> { ["Ingest__OutputCompression"] = "Bogus" }, "ingest", "--input", input, "--json");

        Assert.Equal(2, exitCode);
        Assert.DoesNotContain("Unhandled exception", error);
        Assert.Contains("error: configuration error: Ingest:OutputCompression (env Ingest__OutputCompression): 'Bogus' is not one of Gzip, Zstd", error);
        Assert.StartsWith("configuration error: Ingest:OutputCompression", JsonDocument.Parse(output).RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Serve_with_a_bad_setting_stops_at_start_like_every_other_command()
    {
        var (exitCode, _, error) = await RunAsync(new Dictionary<string, string> { ["Bus__Transport"] = "RabbitMq", ["Bus__Host"] = "" }, "serve");

        Assert.Equal(2, exitCode);
        Assert.DoesNotContain("Unhandled exception", error);
        Assert.Contains("error: configuration error: Bus:Host (env Bus__Host)", error);
    }
}
