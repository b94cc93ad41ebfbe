using Spectre.Console;

namespace Pipeline.Cli.Commands;

/// <summary>What the demo reports while it runs (the human form; --json prints only the result).</summary>
internal interface IDemoProgress
{
    void Started(string stage);
    void Succeeded(IReadOnlyDictionary<string, string> outputs);
    void Failed(string error);
}

internal sealed class SpectreDemoProgress : IDemoProgress
{
    public void Started(string stage) => AnsiConsole.MarkupLine($"[bold]{Markup.Escape(stage)}[/] ...");

    public void Succeeded(IReadOnlyDictionary<string, string> outputs)
    {
        // Plain writes: Spectre would wrap long paths at the console width and break copy-paste.
        foreach (var (key, value) in outputs) Console.WriteLine($"  {key}: {value}");
    }

    public void Failed(string error) => AnsiConsole.MarkupLine($"  [red]failed:[/] {Markup.Escape(error)}");
}
