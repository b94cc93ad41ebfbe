using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Pipeline.Contracts.Storage;

namespace Pipeline.BlobStorage;

/// <summary>
/// Azure Blob Storage (or Azurite). A write of up to 4 MiB is one Put Blob; a larger one stages 4 MiB
/// blocks while hashing and then commits the block list. Either carries the SHA-256 in metadata and is
/// the atomic step, and with <see cref="BlobWriteMode.CreateNew"/> it carries If-None-Match: * so the
/// first writer wins.
/// </summary>
public sealed class AzureBlobStore(BlobServiceClient service) : IBlobStore
{
    internal const string Sha256Metadata = "sha256";
    private readonly ConcurrentDictionary<string, Task> _createdContainers = new();

    public async Task<BlobReference> WriteAsync(string container, string name, Stream content, BlobWriteMode mode = BlobWriteMode.Overwrite, CancellationToken cancellationToken = default)
    {
        var client = await BlobClientAsync(container, name, cancellationToken);
        var blockClient = client.GetParentBlobContainerClient().GetBlockBlobClient(name);
        // Uncommitted blocks belong to the blob name, not to the writer: concurrent writers of one name
        // staging ids 0, 1, ... replaced each other's blocks, and a winner could commit a loser's
        // content under its own hash. Ids unique to this write keep them apart.
        var writeId = Guid.NewGuid();
        var blockIds = new List<string>();
        // The latest chunk is held back until another follows: content of one chunk (nearly every
        // marker, claim and report) goes up in one Put Blob, which stages nothing at all.
        byte[]? pending = null;
        var (sha256, size) = await HashingCopy.CopyAsync(content, async (chunk, ct) =>
        {
            if (pending is not null) await StageAsync(blockClient, writeId, blockIds, pending, ct);
            pending = chunk.ToArray();
        }, cancellationToken);
        var metadata = new Dictionary<string, string> { [Sha256Metadata] = sha256 };
        var conditions = mode == BlobWriteMode.CreateNew ? new BlobRequestConditions { IfNoneMatch = ETag.All } : null;
        try
        {
            if (blockIds.Count == 0)
            {
                using var single = new MemoryStream(pending ?? [], writable: false);
                await blockClient.UploadAsync(single, new BlobUploadOptions { Metadata = metadata, Conditions = conditions }, cancellationToken);
            }
            else
            {
                await StageAsync(blockClient, writeId, blockIds, pending!, cancellationToken);
                await blockClient.CommitBlockListAsync(blockIds, new CommitBlockListOptions { Metadata = metadata, Conditions = conditions }, cancellationToken);
            }
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            throw new BlobAlreadyExistsException(container, name);
        }
        catch (RequestFailedException ex) when (ex.ErrorCode == BlobErrorCode.InvalidBlockList.ToString())
        {
            // A concurrent writer's commit discarded this write's uncommitted blocks.
            if (mode == BlobWriteMode.CreateNew && await client.ExistsAsync(cancellationToken)) throw new BlobAlreadyExistsException(container, name);
            throw new IOException($"Blob {container}/{name} was committed by a concurrent writer while this write was staging its blocks; write it again.", ex);
        }
        return new BlobReference { Container = container, Name = name, Sha256 = sha256, Size = size };
    }

    private static async Task StageAsync(BlockBlobClient blockClient, Guid writeId, List<string> blockIds, byte[] chunk, CancellationToken cancellationToken)
    {
        // Every id of a blob must have the same length: the write's 16 bytes, then the block's index.
        var id = Convert.ToBase64String([.. writeId.ToByteArray(), .. BitConverter.GetBytes((long)blockIds.Count)]);
        using var chunkStream = new MemoryStream(chunk, writable: false);
        await blockClient.StageBlockAsync(id, chunkStream, cancellationToken: cancellationToken);
        blockIds.Add(id);
    }

    public async Task<Stream> OpenReadAsync(string container, string name, CancellationToken cancellationToken = default)
    {
        var client = await BlobClientAsync(container, name, cancellationToken);
        try
        {
            var download = await client.DownloadStreamingAsync(cancellationToken: cancellationToken);
            return download.Value.Content;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            throw new BlobNotFoundException(container, name);
        }
    }

    public async Task<BlobItem?> GetAsync(string container, string name, CancellationToken cancellationToken = default)
    {
        var client = await BlobClientAsync(container, name, cancellationToken);
        try
        {
            var properties = (await client.GetPropertiesAsync(cancellationToken: cancellationToken)).Value;
            properties.Metadata.TryGetValue(Sha256Metadata, out var sha256);
            return new BlobItem(container, name, properties.ContentLength, sha256, properties.LastModified);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    public async IAsyncEnumerable<BlobItem> ListAsync(string container, string prefix = "", [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        BlobNames.ValidateContainer(container);
        var client = service.GetBlobContainerClient(container);
        if (!(await client.ExistsAsync(cancellationToken)).Value) yield break;
        var pages = client.GetBlobsAsync(BlobTraits.Metadata, BlobStates.None, string.IsNullOrEmpty(prefix) ? null : prefix, cancellationToken);
        await foreach (var blob in pages)
        {
            blob.Metadata.TryGetValue(Sha256Metadata, out var sha256);
            yield return new BlobItem(container, blob.Name, blob.Properties.ContentLength ?? 0, sha256, blob.Properties.LastModified ?? DateTimeOffset.MinValue);
        }
    }

    public async IAsyncEnumerable<string> ListFoldersAsync(string container, string prefix = "", [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        BlobNames.ValidateContainer(container);
        BlobNames.ValidateFolderPrefix(prefix);
        var client = service.GetBlobContainerClient(container);
        if (!(await client.ExistsAsync(cancellationToken)).Value) yield break;
        var items = client.GetBlobsByHierarchyAsync(BlobTraits.None, BlobStates.None, "/", string.IsNullOrEmpty(prefix) ? null : prefix, cancellationToken);
        await foreach (var item in items)
        {
            if (item.IsPrefix) yield return item.Prefix;
        }
    }

    public async Task<bool> DeleteAsync(string container, string name, CancellationToken cancellationToken = default)
    {
        var client = await BlobClientAsync(container, name, cancellationToken);
        return (await client.DeleteIfExistsAsync(cancellationToken: cancellationToken)).Value;
    }

    public async Task CheckAvailableAsync(CancellationToken cancellationToken = default)
    {
        await service.GetPropertiesAsync(cancellationToken);
    }

    private async Task<BlobClient> BlobClientAsync(string container, string name, CancellationToken cancellationToken)
    {
        BlobNames.ValidateContainer(container);
        BlobNames.ValidateName(name);
        var containerClient = service.GetBlobContainerClient(container);
        var creation = _createdContainers.GetOrAdd(container, _ => containerClient.CreateIfNotExistsAsync(cancellationToken: CancellationToken.None));
        try
        {
            await creation;
        }
        catch
        {
            // Forget a failed creation so a transient outage does not break this container until restart.
            _createdContainers.TryRemove(new KeyValuePair<string, Task>(container, creation));
            throw;
        }
        return containerClient.GetBlobClient(name);
    }
}
