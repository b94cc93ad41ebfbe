using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.BlobStorage;

namespace Pipeline.Ingest.Tests;

/// <summary>The ingest consumers on MassTransit's in-memory test harness over a real local-folder blob store.</summary>
internal sealed class IngestHarness : IAsyncDisposable
{
    private readonly ServiceProvider _provider;
    private readonly string _root;

    private IngestHarness(ServiceProvider provider, string root, LocalFolderBlobStore store)
    {
        _provider = provider;
        _root = root;
        Store = store;
        Harness = provider.GetRequiredService<ITestHarness>();
    }

    public ITestHarness Harness { get; }
    /// <summary>A service of the harness's container (the landing intake, say).</summary>
    public T Get<T>() where T : notnull => _provider.GetRequiredService<T>();
    public LocalFolderBlobStore Store { get; }

    public static async Task<IngestHarness> StartAsync(IDictionary<string, string?>? settings = null)
    {
        var root = Path.Combine(Path.GetTempPath(), $"pipeline-ingest-tests-{Guid.NewGuid():N}");
        var store = new LocalFolderBlobStore(root);
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build())
            .AddSingleton<IBlobStore>(store)
            .AddIngestServices()
            .AddMassTransitTestHarness(bus =>
            {
                bus.SetKebabCaseEndpointNameFormatter();
                IngestServiceExtensions.AddIngestConsumers(bus);
            });
        var provider = services.BuildServiceProvider(validateScopes: true);
        var harness = new IngestHarness(provider, root, store);
        harness.Harness.TestInactivityTimeout = TimeSpan.FromSeconds(3);
        await harness.Harness.Start();
        return harness;
    }

    public async Task UploadAsync(string container, string name, string localPath)
    {
        await using var file = File.OpenRead(localPath);
        await Store.WriteAsync(container, name, file);
    }

    public async ValueTask DisposeAsync()
    {
        await Harness.Stop();
        await _provider.DisposeAsync();
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }
}
