namespace Pipeline.EndToEnd.Tests;

/// <summary>A fresh data directory for one test (the CLI's --data-dir), removed afterwards.</summary>
public abstract class TempDataDirectory : IDisposable
{
    protected string DataDirectory { get; } = Directory.CreateTempSubdirectory("pipeline-e2e-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { }
        GC.SuppressFinalize(this);
    }
}
