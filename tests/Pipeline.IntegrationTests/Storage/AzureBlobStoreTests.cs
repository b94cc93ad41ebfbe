using Azure.Storage.Blobs;
using Pipeline.BlobStorage;
using Pipeline.IntegrationTests.Infrastructure;

namespace Pipeline.IntegrationTests.Storage;

/// <summary>The contract against the real Azurite started by ./test.sh.</summary>
public sealed class AzureBlobStoreTests : BlobStoreContractTests
{
    private readonly BlobServiceClient _service = new(TestEnvironment.Required(TestEnvironment.AzuriteConnectionString));

    public AzureBlobStoreTests()
    {
        Store = new AzureBlobStore(_service);
    }

    protected override IBlobStore Store { get; }

    public override async Task DisposeAsync()
    {
        await _service.GetBlobContainerClient(Container).DeleteIfExistsAsync();
    }

    [Fact]
    public async Task Blob_written_through_the_store_carries_its_sha256_as_metadata_for_other_readers()
    {
        var written = await Store.WriteTextAsync(Container, "meta/check.txt", "metadata");

        var properties = await _service.GetBlobContainerClient(Container).GetBlobClient("meta/check.txt").GetPropertiesAsync();

        Assert.Equal(written.Sha256, properties.Value.Metadata["sha256"]);
        Assert.Equal(written.Size, properties.Value.ContentLength);
    }
}
