namespace Pipeline.Contracts.Storage;

/// <summary>Points at a set of blobs sharing a prefix (a model folder, a dataset split into shards).</summary>
public sealed record BlobFolderReference
{
    public required string Container { get; init; }
    public required string Prefix { get; init; }
    /// <summary>The folder's manifest (file names, hashes, sizes); its hash identifies the whole folder.</summary>
    public BlobReference? Manifest { get; init; }

    public override string ToString() => $"{Container}/{Prefix}";
}
