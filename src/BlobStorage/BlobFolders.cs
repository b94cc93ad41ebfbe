using System.Security.Cryptography;
using Pipeline.Contracts.Storage;

namespace Pipeline.BlobStorage;

/// <summary>
/// Moves whole folders (a Hugging Face model folder, a report with its charts) between a local
/// directory and the blob store. Upload writes every file and then a <c>_manifest.json</c> listing
/// names, hashes and sizes: the manifest is written last, so a folder whose manifest exists is complete.
/// </summary>
public static class BlobFolders
{
    public const string ManifestName = "_manifest.json";

    public sealed record ManifestEntry(string Name, string Sha256, long Size);

    public sealed record Manifest(IReadOnlyList<ManifestEntry> Files);

    public static async Task<BlobFolderReference> UploadAsync(this IBlobStore store, string localDirectory, string container, string prefix, CancellationToken cancellationToken = default)
    {
        prefix = prefix.TrimEnd('/') + "/";
        var entries = new List<ManifestEntry>();
        foreach (var path in Directory.EnumerateFiles(localDirectory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(localDirectory, path).Replace(Path.DirectorySeparatorChar, '/');
            if (relative == ManifestName) continue;
            await using var file = File.OpenRead(path);
            var written = await store.WriteAsync(container, prefix + relative, file, cancellationToken: cancellationToken);
            entries.Add(new ManifestEntry(relative, written.Sha256, written.Size));
        }
        var manifest = await store.WriteJsonAsync(container, prefix + ManifestName, new Manifest(entries), cancellationToken: cancellationToken);
        return new BlobFolderReference { Container = container, Prefix = prefix, Manifest = manifest };
    }

    /// <summary>
    /// Downloads a folder into <paramref name="localDirectory"/>, checking each file against the
    /// manifest; a folder already there with matching hashes is not downloaded again.
    /// </summary>
    public static async Task<string> DownloadAsync(this IBlobStore store, BlobFolderReference folder, string localDirectory, CancellationToken cancellationToken = default)
    {
        var prefix = folder.Prefix.TrimEnd('/') + "/";
        if (await store.GetAsync(folder.Container, prefix + ManifestName, cancellationToken) is null)
            throw new InvalidDataException($"Folder '{folder}' has no {ManifestName}: it is incomplete or was not written by the pipeline.");
        var manifest = await store.ReadJsonAsync<Manifest>(folder.Container, prefix + ManifestName, cancellationToken);
        Directory.CreateDirectory(localDirectory);
        foreach (var entry in manifest.Files)
        {
            var target = Path.GetFullPath(Path.Combine(localDirectory, entry.Name));
            if (!target.StartsWith(Path.GetFullPath(localDirectory) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                throw new InvalidDataException($"Manifest of '{folder}' names a file outside the folder: '{entry.Name}'.");
            if (File.Exists(target) && new FileInfo(target).Length == entry.Size && await HashFileAsync(target, cancellationToken) == entry.Sha256) continue;
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            var temp = target + ".partial";
            await using (var source = await store.OpenReadAsync(folder.Container, prefix + entry.Name, cancellationToken))
            await using (var file = File.Create(temp))
            {
                await source.CopyToAsync(file, cancellationToken);
            }
            var actual = await HashFileAsync(temp, cancellationToken);
            if (actual != entry.Sha256)
            {
                File.Delete(temp);
                throw new InvalidDataException($"'{folder}/{entry.Name}' has SHA-256 {actual}, but its manifest says {entry.Sha256}: the blob is corrupt or was replaced.");
            }
            File.Move(temp, target, overwrite: true);
        }
        return localDirectory;
    }

    private static async Task<string> HashFileAsync(string path, CancellationToken cancellationToken)
    {
        await using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken));
    }
}
