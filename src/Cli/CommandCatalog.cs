using System.CommandLine;
using Pipeline.Cli.Commands;

namespace Pipeline.Cli;

/// <summary>Every `pipeline` command, one line each; a command lives in its own file under Commands/.</summary>
internal static class CommandCatalog
{
    public static RootCommand Build()
    {
        var root = new RootCommand("pipeline: Llama 2-style data and alignment pipeline (corpus filtering, dedup, SFT, reward models, RLHF).");
        root.Options.Add(CommonOptions.Json);
        root.Options.Add(CommonOptions.DataDirectory);
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(ValidateCommand.Create());
        root.Subcommands.Add(IngestCommand.Create());
        root.Subcommands.Add(CurateSftCommand.Create());
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(TokenizeCommand.Create());
        root.Subcommands.Add(ModelCommand.Create());
        root.Subcommands.Add(GenerateCommand.Create());
        root.Subcommands.Add(PretrainCommand.Create());
        root.Subcommands.Add(DedupCommand.Create());
        root.Subcommands.Add(ContaminationCommand.Create());

        var bench = new Command("bench", "Benchmarks that print measured figures side by side with a baseline.");
        bench.Subcommands.Add(BenchModelCommand.Create());
        bench.Subcommands.Add(BenchDedupCommand.Create());
        bench.Subcommands.Add(BenchIngestCommand.Create());
        root.Subcommands.Add(bench);
        return root;
    }
}
