namespace Pipeline.Cli.Hosting;

/// <summary>The bundled sample data: copied next to the CLI at build time; the repo's folder as a fallback.</summary>
internal static class SamplesDirectory
{
    public static string Find()
    {
        var beside = Path.Combine(AppContext.BaseDirectory, "samples");
        if (Directory.Exists(beside)) return beside;
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "samples");
            if (Directory.Exists(Path.Combine(candidate, "corpus"))) return candidate;
        }
        throw new DirectoryNotFoundException($"The bundled samples folder was found neither at {beside} nor above {Directory.GetCurrentDirectory()}.");
    }
}
