using System.CommandLine;

namespace Pipeline.Cli.Commands;

/// <summary>`pipeline demo`: runs the whole pipeline that exists on the bundled sample data, embedded.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var pretrainSteps = new Option<int?>("--pretrain-steps") { Description = "Pretraining steps (default: the trainer's demo setting)." };
        var command = new Command("demo", "Run the whole pipeline on the bundled sample data in embedded mode (no servers) and print where the outputs are.");
        command.Options.Add(pretrainSteps);
        command.SetAction((parse, cancellationToken) => DemoRun.RunAsync(
            parse.GetValue(CommonOptions.DataDirectory)!,
            parse.GetValue(CommonOptions.Json),
            new DemoSettings { PretrainSteps = parse.GetValue(pretrainSteps) },
            cancellationToken));
        return command;
    }
}
