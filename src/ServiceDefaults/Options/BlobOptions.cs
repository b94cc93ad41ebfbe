namespace Pipeline.ServiceDefaults.Options;

public enum BlobProvider
{
    Local,
    Azure,
}

/// <summary>Section <c>Blob</c>: a local folder (embedded) or Azure Blob Storage / Azurite.</summary>
public sealed class BlobOptions
{
    public const string Section = "Blob";

    public BlobProvider Provider { get; set; } = BlobProvider.Local;
    /// <summary>Root folder of the local store.</summary>
    public string LocalRoot { get; set; } = ".pipeline/blobs";
    /// <summary>Azure Storage connection string (Azurite's well-known one locally).</summary>
    public string? ConnectionString { get; set; }
}
