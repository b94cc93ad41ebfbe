using System.Diagnostics;

namespace Pipeline.Model.Tests;

/// <summary>Runs Google's reference SentencePiece command-line tools, an implementation that is not ours.</summary>
internal static class SentencePieceTools
{
    public static string? Find(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
            .Select(dir => Path.Combine(dir, tool)).FirstOrDefault(File.Exists);

    public static string Run(string tool, string arguments, string? stdin = null, string? workingDir = null)
    {
        var psi = new ProcessStartInfo(Find(tool)!, arguments)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDir ?? Environment.CurrentDirectory,
        };
        psi.StandardInputEncoding = new System.Text.UTF8Encoding(false);
        psi.StandardOutputEncoding = System.Text.Encoding.UTF8;
        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null) process.StandardInput.Write(stdin);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{tool} {arguments} failed ({process.ExitCode}): {stderr.Result}");
        return stdout;
    }
}
