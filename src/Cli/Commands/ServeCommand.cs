using System.CommandLine;
using Microsoft.Extensions.Hosting;
using Pipeline.Cli.Hosting;
using Pipeline.ServiceDefaults;

namespace Pipeline.Cli.Commands;

/// <summary>`pipeline serve`: hosts every service in this process until Ctrl+C (bus and store from configuration).</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var command = new Command("serve", "Host every service in one process until stopped (embedded defaults; Bus__*/Blob__* select RabbitMQ/Azure).");
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                using var host = EmbeddedHost.Build(parse.GetValue(CommonOptions.DataDirectory)!);
                await host.RunAsync(cancellationToken);
                return 0;
            }
            catch (Exception ex) when (StartupErrors.Describe(ex) is { } line)
            {
                await Console.Error.WriteLineAsync($"pipeline: configuration error: {line}");
                return 2;
            }
        });
        return command;
    }
}
