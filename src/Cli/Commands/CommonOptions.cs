using System.CommandLine;

namespace Pipeline.Cli.Commands;

/// <summary>Options every command shares.</summary>
internal static class CommonOptions
{
    /// <summary>Machine-readable output on stdout (logs go to stderr); shapes are documented in the README.</summary>
    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Print machine-readable JSON on stdout (logs go to stderr).",
        Recursive = true,
    };

    public static readonly Option<string> DataDirectory = new("--data-dir")
    {
        Description = "Folder of the embedded blob store and logs.",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("PIPELINE_DATA_DIR") ?? ".pipeline",
        Recursive = true,
    };
}
