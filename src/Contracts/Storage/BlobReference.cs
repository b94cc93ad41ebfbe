namespace Pipeline.Contracts.Storage;

/// <summary>Points at one immutable blob: messages carry this, never the data itself.</summary>
public sealed record BlobReference
{
    public required string Container { get; init; }
    public required string Name { get; init; }
    /// <summary>Lower-case hex SHA-256 of the blob's bytes, so a reader can verify what it got.</summary>
    public required string Sha256 { get; init; }
    public required long Size { get; init; }

    public override string ToString() => $"{Container}/{Name}";
}
