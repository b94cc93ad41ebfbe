using System.CommandLine;
using Microsoft.Extensions.Hosting;
using Pipeline.Cli.Hosting;

namespace Pipeline.Cli.Commands;

/// <summary>`pipeline serve`: hosts every service in this process until Ctrl+C (bus and store from configuration).</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var command = new Command("serve", "Host every service in one process until stopped (embedded defaults; Bus__*/Blob__* select RabbitMQ/Azure).");
        // A configuration mistake reaches Program's handler, which ends every command alike (exit 2, one line naming the key).
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var host = EmbeddedHost.Build(parse.GetValue(CommonOptions.DataDirectory)!);
            await host.RunAsync(cancellationToken);
            return 0;
        });
        return command;
    }
}
