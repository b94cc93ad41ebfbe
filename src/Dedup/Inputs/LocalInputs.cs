using Pipeline.BlobStorage;
using Pipeline.Contracts.Storage;

namespace Pipeline.Dedup.Inputs;

/// <summary>
/// Turns command-line inputs into blob references: a local file is uploaded, a local folder
/// contributes its <c>*.jsonl</c>, <c>*.jsonl.gz</c> and <c>*.jsonl.zst</c> files (sorted, so shard order is stable), and
/// anything else is read as <c>container/name</c> of a blob already in the store.
/// </summary>
public static class LocalInputs
{
    public static async Task<IReadOnlyList<BlobReference>> ResolveAsync(IBlobStore store, IEnumerable<string> inputs, string container, string prefix, CancellationToken cancellationToken)
    {
        var references = new List<BlobReference>();
        foreach (var input in inputs)
        {
            if (Directory.Exists(input))
            {
                var files = Directory.EnumerateFiles(input).Where(IsShard).Order(StringComparer.Ordinal).ToList();
                if (files.Count == 0) throw new FileNotFoundException($"{input}: no .jsonl, .jsonl.gz or .jsonl.zst files in this folder.");
                foreach (var file in files) references.Add(await UploadAsync(store, file, container, $"{prefix}/{references.Count:D5}-{Path.GetFileName(file)}", cancellationToken));
            }
            else if (File.Exists(input))
            {
                references.Add(await UploadAsync(store, input, container, $"{prefix}/{references.Count:D5}-{Path.GetFileName(input)}", cancellationToken));
            }
            else
            {
                var slash = input.IndexOf('/', StringComparison.Ordinal);
                var item = slash > 0 ? await TryGetAsync(store, input[..slash], input[(slash + 1)..], cancellationToken) : null;
                if (item?.Sha256 is null) throw new FileNotFoundException($"{input}: no such file, folder or blob (blobs are given as container/name).");
                references.Add(new BlobReference { Container = item.Container, Name = item.Name, Sha256 = item.Sha256, Size = item.Size });
            }
        }
        return references;
    }

    /// <summary>The shard files a folder contributes: what Ingest writes (.jsonl.gz, or .jsonl.zst) and plain .jsonl.</summary>
    private static bool IsShard(string file) =>
        file.EndsWith(".jsonl", StringComparison.Ordinal) || file.EndsWith(".jsonl.gz", StringComparison.Ordinal) || file.EndsWith(".jsonl.zst", StringComparison.Ordinal);

    private static async Task<BlobReference> UploadAsync(IBlobStore store, string file, string container, string name, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(file);
        return await store.WriteAsync(container, BlobSafe(name), stream, BlobWriteMode.Overwrite, cancellationToken);
    }

    private static async Task<BlobItem?> TryGetAsync(IBlobStore store, string container, string name, CancellationToken cancellationToken)
    {
        try
        {
            return await store.GetAsync(container, name, cancellationToken);
        }
        catch (InvalidBlobNameException)
        {
            return null;
        }
    }

    private static string BlobSafe(string name) => string.Concat(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '/' ? c : '_'));
}
