using System.Net;
using Azure.Core.Pipeline;
using Azure.Storage.Blobs;
using Pipeline.BlobStorage;
using Pipeline.IntegrationTests.Infrastructure;

namespace Pipeline.IntegrationTests.Storage;

public sealed class AzureBlobStoreRecoveryTests : IAsyncLifetime
{
    private readonly string _container = "it-" + Guid.NewGuid().ToString("N")[..24];
    private readonly FailFirstRequest _handler = new() { InnerHandler = new HttpClientHandler() };
    private readonly BlobServiceClient _service;

    public AzureBlobStoreRecoveryTests()
    {
        var options = new BlobClientOptions { Transport = new HttpClientTransport(_handler) };
        options.Retry.MaxRetries = 0;
        _service = new BlobServiceClient(TestEnvironment.Required(TestEnvironment.AzuriteConnectionString), options);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _service.GetBlobContainerClient(_container).DeleteIfExistsAsync();

    [Fact]
    public async Task A_failed_container_creation_is_tried_again_by_the_next_write()
    {
        var store = new AzureBlobStore(_service);

        await Assert.ThrowsAnyAsync<Exception>(() => store.WriteTextAsync(_container, "first.txt", "lost"));
        var written = await store.WriteTextAsync(_container, "second.txt", "kept");

        Assert.Equal(4, written.Size);
        Assert.Equal("kept", System.Text.Encoding.UTF8.GetString(await store.ReadBytesAsync(_container, "second.txt")));
    }

    /// <summary>Answers the very first request with 503, as a briefly unreachable Azurite would, then passes through.</summary>
    private sealed class FailFirstRequest : DelegatingHandler
    {
        private int _requests;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            => Interlocked.Increment(ref _requests) == 1
                ? Task.FromResult(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { RequestMessage = request })
                : base.SendAsync(request, cancellationToken);
    }
}
