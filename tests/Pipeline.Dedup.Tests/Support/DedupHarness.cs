using System.IO.Compression;
using System.Text;
using System.Text.Json;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.BlobStorage;
using Pipeline.Contracts.Storage;

namespace Pipeline.Dedup.Tests.Support;

/// <summary>The Dedup consumers on MassTransit's in-memory test harness, over a local-folder blob store in a temp folder.</summary>
internal sealed class DedupHarness : IAsyncDisposable
{
    public const string Input = "input";
    private readonly ServiceProvider _provider;
    private readonly string _root = Path.Combine(Path.GetTempPath(), "dedup-tests-" + Guid.NewGuid().ToString("N"));

    public DedupHarness(int bandRanges = 3, int concurrentMessages = 4)
    {
        Store = new LocalFolderBlobStore(_root);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Dedup:BandRanges"] = bandRanges.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Dedup:ConcurrentMessages"] = concurrentMessages.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }).Build();
        _provider = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging()
            .AddSingleton<IBlobStore>(Store)
            .AddDedupServices()
            .AddMassTransitTestHarness(bus =>
            {
                bus.SetKebabCaseEndpointNameFormatter();
                bus.AddDedupConsumers();
                bus.SetTestTimeouts(testTimeout: TimeSpan.FromSeconds(60));
            })
            .BuildServiceProvider(true);
        Harness = _provider.GetRequiredService<ITestHarness>();
    }

    public LocalFolderBlobStore Store { get; }
    public ITestHarness Harness { get; }

    public Task StartAsync() => Harness.Start();

    /// <summary>Writes documents as an Ingest-style shard: <c>{id, text, meta}</c> per line, gzip when the name ends in .gz, zstd in .zst.</summary>
    public async Task<BlobReference> WriteShardAsync(string name, IEnumerable<(string Id, string Text)> documents)
    {
        var lines = new StringBuilder();
        foreach (var (id, text) in documents)
            lines.Append(JsonSerializer.Serialize(new { id, text, meta = new { source = "test", chars = text.Length } })).Append('\n');
        var bytes = Encoding.UTF8.GetBytes(lines.ToString());
        using var buffer = new MemoryStream();
        if (name.EndsWith(".gz", StringComparison.Ordinal))
        {
            await using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true)) await gzip.WriteAsync(bytes);
        }
        else if (name.EndsWith(".zst", StringComparison.Ordinal))
        {
            await using (var zstd = new ZstdSharp.CompressionStream(buffer, leaveOpen: true)) await zstd.WriteAsync(bytes);
        }
        else buffer.Write(bytes);
        buffer.Position = 0;
        return await Store.WriteAsync(Input, name, buffer);
    }

    /// <summary>
    /// The first published <typeparamref name="T"/> that matches, polled for up to a minute; fails with the
    /// faults' messages when a consumer faulted instead. Polled rather than Published.Any, which gives up
    /// once the bus has been idle for the harness's inactivity timeout (about a second): a consumer busy
    /// for longer on a loaded machine read as "never published", and that signal fires once per harness.
    /// </summary>
    public async Task<T> WaitForPublishedAsync<T>(Func<T, bool> match) where T : class
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!Harness.Published.Select<T>(x => match(x.Context.Message)).Any()
               && !Harness.Published.Select<MassTransit.Fault>().Any() && DateTime.UtcNow < deadline)
            await Task.Delay(50);
        if (!Harness.Published.Select<T>(x => match(x.Context.Message)).Any())
        {
            var faults = Harness.Published.Select<MassTransit.Fault>().Select(f => f.Context.Message.Exceptions.First().Message);
            Assert.Fail($"no {typeof(T).Name}; faults: " + string.Join(" | ", faults));
        }
        return Harness.Published.Select<T>(x => match(x.Context.Message)).Single().Context.Message;
    }

    public async Task<List<string>> ReadLinesAsync(BlobReference blob)
    {
        await using var stream = await Store.OpenReadAsync(blob);
        await using var decoded = blob.Name.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(stream, CompressionMode.Decompress)
            : blob.Name.EndsWith(".zst", StringComparison.Ordinal) ? new ZstdSharp.DecompressionStream(stream)
            : stream;
        using var reader = new StreamReader(decoded);
        var lines = new List<string>();
        while (await reader.ReadLineAsync() is { } line) if (line.Length > 0) lines.Add(line);
        return lines;
    }

    public async ValueTask DisposeAsync()
    {
        await Harness.Stop();
        await _provider.DisposeAsync();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }
}
