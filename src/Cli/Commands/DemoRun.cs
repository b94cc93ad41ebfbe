namespace Pipeline.Cli.Commands;

internal static class DemoRun
{
    public static Task<int> RunAsync(string dataDirectory, bool json, CancellationToken cancellationToken) => Task.FromResult(0);
}
