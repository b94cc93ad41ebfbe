using System.Runtime.CompilerServices;
using Pipeline.Contracts.Storage;

namespace Pipeline.BlobStorage;

/// <summary>
/// Blob store over a local folder (embedded mode): <c>ROOT/container/name</c>. Writes go to a temp
/// file on the same file system and are renamed into place, so they are atomic; the SHA-256 is kept
/// in a side file under <c>ROOT/.meta</c> (not a valid container name, so it never lists).
/// </summary>
public sealed class LocalFolderBlobStore : IBlobStore
{
    private readonly string _root;

    public LocalFolderBlobStore(string root)
    {
        _root = Path.GetFullPath(root);
        Directory.CreateDirectory(_root);
    }

    public string Root => _root;

    public async Task<BlobReference> WriteAsync(string container, string name, Stream content, BlobWriteMode mode = BlobWriteMode.Overwrite, CancellationToken cancellationToken = default)
    {
        var path = PathOf(container, name);
        if (mode == BlobWriteMode.CreateNew && File.Exists(path)) throw new BlobAlreadyExistsException(container, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var tempDirectory = Path.Combine(_root, ".tmp");
        Directory.CreateDirectory(tempDirectory);
        var temp = Path.Combine(tempDirectory, Guid.NewGuid().ToString("N"));
        try
        {
            string sha256;
            long size;
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                (sha256, size) = await HashingCopy.CopyAsync(content, (chunk, ct) => file.WriteAsync(chunk, ct), cancellationToken);
                await file.FlushAsync(cancellationToken);
                file.Flush(flushToDisk: true);
            }
            var metaPath = MetaPathOf(container, name);
            Directory.CreateDirectory(Path.GetDirectoryName(metaPath)!);
            var commitLock = CommitLockOf(path);
            await commitLock.WaitAsync(cancellationToken);
            try
            {
                if (mode == BlobWriteMode.Overwrite) File.Move(temp, path, overwrite: true);
                // Exactly one of concurrent creators wins (File.Move without overwrite is check-then-rename on Unix).
                else if (!NoReplaceMove.TryMove(temp, path)) throw new BlobAlreadyExistsException(container, name);
                await File.WriteAllTextAsync(metaPath, sha256, CancellationToken.None);
            }
            finally
            {
                commitLock.Release();
            }
            return new BlobReference { Container = container, Name = name, Sha256 = sha256, Size = size };
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    public Task<Stream> OpenReadAsync(string container, string name, CancellationToken cancellationToken = default)
    {
        var path = PathOf(container, name);
        if (!File.Exists(path)) throw new BlobNotFoundException(container, name);
        Stream stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16, useAsync: true);
        return Task.FromResult(stream);
    }

    public async Task<BlobItem?> GetAsync(string container, string name, CancellationToken cancellationToken = default)
    {
        var path = PathOf(container, name);
        var commitLock = CommitLockOf(path);
        await commitLock.WaitAsync(cancellationToken);
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists) return null;
            return new BlobItem(container, name, info.Length, await ReadHashAsync(container, name, cancellationToken), info.LastWriteTimeUtc);
        }
        finally
        {
            commitLock.Release();
        }
    }

    /// <summary>
    /// A blob is committed in two steps, its file moved into place and then its hash file written; these
    /// locks (by name, striped) make the two one step for other writers and for <see cref="GetAsync"/>.
    /// Without them two writers overwriting one name could leave one's hash beside the other's content.
    /// Within one process, which is what the embedded store serves.
    /// </summary>
    private static readonly SemaphoreSlim[] CommitLocks = Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    private static SemaphoreSlim CommitLockOf(string path) => CommitLocks[(int)((uint)StringComparer.Ordinal.GetHashCode(path) % (uint)CommitLocks.Length)];

    public async IAsyncEnumerable<BlobItem> ListAsync(string container, string prefix = "", [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        BlobNames.ValidateContainer(container);
        BlobNames.ValidatePrefix(prefix);
        var containerPath = Path.Combine(_root, container);
        // From the folder the prefix names, not the whole container: completion checks list one run's
        // results on every shard event, and walking every file of every run made each listing O(container).
        var slash = prefix.LastIndexOf('/');
        var folder = slash < 0 ? containerPath : Path.Combine(containerPath, prefix[..slash]);
        if (!Directory.Exists(folder)) yield break;
        var names = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(containerPath, path).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(name => name.StartsWith(prefix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
        foreach (var name in names)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var item = await GetAsync(container, name, cancellationToken);
            if (item is not null) yield return item;
        }
    }

    public async IAsyncEnumerable<string> ListFoldersAsync(string container, string prefix = "", [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        BlobNames.ValidateContainer(container);
        BlobNames.ValidateFolderPrefix(prefix);
        var folder = Path.Combine(_root, container, prefix.TrimEnd('/'));
        if (!Directory.Exists(folder)) yield break;
        // Only folders holding a file, as in Azure, where a folder is nothing but the names under it.
        var names = Directory.EnumerateDirectories(folder)
            .Where(directory => Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Any())
            .Select(directory => prefix + Path.GetFileName(directory) + "/")
            .Order(StringComparer.Ordinal);
        foreach (var name in names)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return name;
        }
        await Task.CompletedTask;
    }

    public Task<bool> DeleteAsync(string container, string name, CancellationToken cancellationToken = default)
    {
        var path = PathOf(container, name);
        if (!File.Exists(path)) return Task.FromResult(false);
        File.Delete(path);
        var meta = MetaPathOf(container, name);
        if (File.Exists(meta)) File.Delete(meta);
        return Task.FromResult(true);
    }

    public Task CheckAvailableAsync(CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(_root);
        return Task.CompletedTask;
    }

    private async Task<string?> ReadHashAsync(string container, string name, CancellationToken cancellationToken)
    {
        var meta = MetaPathOf(container, name);
        try
        {
            return (await File.ReadAllTextAsync(meta, cancellationToken)).Trim();
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            // Not written yet (the blob was just committed) or deleted under a concurrent listing.
            return null;
        }
    }

    private string PathOf(string container, string name)
    {
        BlobNames.ValidateContainer(container);
        BlobNames.ValidateName(name);
        var path = Path.GetFullPath(Path.Combine(_root, container, name));
        // Defence in depth: the name rules already forbid '..', but never hand out a path outside the root.
        if (!path.StartsWith(Path.Combine(_root, container) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new InvalidBlobNameException($"Blob name '{name}' resolves outside container '{container}'.");
        return path;
    }

    private string MetaPathOf(string container, string name) => Path.Combine(_root, ".meta", container, name + ".sha256");
}
