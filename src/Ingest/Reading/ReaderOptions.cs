using System.ComponentModel.DataAnnotations;

namespace Pipeline.Ingest.Reading;

/// <summary>Limits that keep a reader's memory bounded whatever the input.</summary>
public sealed class ReaderOptions
{
    public string TextField { get; set; } = "text";
    /// <summary>A JSONL line longer than this is quarantined without being held in memory.</summary>
    [Range(1024, int.MaxValue)] public int MaxLineBytes { get; set; } = 8 * 1024 * 1024;
    /// <summary>A .txt file or Parquet cell longer than this is quarantined.</summary>
    [Range(1024, int.MaxValue)] public int MaxDocumentBytes { get; set; } = 8 * 1024 * 1024;
    /// <summary>Parquet column that holds the text (falls back to <see cref="TextField"/>).</summary>
    public string? ParquetTextColumn { get; set; }
}
