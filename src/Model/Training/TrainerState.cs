using System.Text.Json;

namespace Pipeline.Model.Training;

/// <summary>Everything besides weights and optimizer moments that exact resume needs.</summary>
public sealed record TrainerState
{
    public required int Step { get; init; }
    public required int Epoch { get; init; }
    public required int Cursor { get; init; }
    public required long TokensSeen { get; init; }
    public required string CorpusFingerprint { get; init; }
    public required string TorchRngState { get; init; }
    public required List<LossPoint> TrainLosses { get; init; }
    public required List<LossPoint> EvalLosses { get; init; }

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public void Save(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, Json));

    public static TrainerState Load(string path) =>
        JsonSerializer.Deserialize<TrainerState>(File.ReadAllText(path), Json)
        ?? throw new InvalidDataException($"{path}: empty trainer state");
}
