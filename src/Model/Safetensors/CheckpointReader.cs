using System.Text.Json;

namespace Pipeline.Model.Safetensors;

/// <summary>
/// A checkpoint that may span several safetensors shards: <c>model.safetensors</c>, or
/// <c>model.safetensors.index.json</c> whose <c>weight_map</c> names the shard of every tensor.
/// </summary>
public sealed class CheckpointReader
{
    public const string SingleFileName = "model.safetensors";
    public const string IndexFileName = "model.safetensors.index.json";

    private readonly Dictionary<string, SafetensorsFile> byTensor;

    private CheckpointReader(Dictionary<string, SafetensorsFile> byTensor) => this.byTensor = byTensor;

    public IReadOnlyCollection<string> Names => byTensor.Keys;

    public SafetensorsEntry Entry(string name) => byTensor[name].Entries[name];

    public TorchSharp.torch.Tensor Read(string name) => byTensor[name].Read(name);

    /// <summary>Opens a folder (single file or sharded index) or a single .safetensors file.</summary>
    public static CheckpointReader Open(string path)
    {
        if (File.Exists(path)) return FromFiles([SafetensorsFile.Open(path)]);
        if (!Directory.Exists(path)) throw new FileNotFoundException($"No checkpoint at {path}", path);
        var single = System.IO.Path.Combine(path, SingleFileName);
        if (File.Exists(single)) return FromFiles([SafetensorsFile.Open(single)]);
        var index = System.IO.Path.Combine(path, IndexFileName);
        if (File.Exists(index)) return FromIndex(path, index);
        throw new FileNotFoundException($"{path}: no {SingleFileName} or {IndexFileName} in the model folder");
    }

    private static CheckpointReader FromFiles(IEnumerable<SafetensorsFile> files)
    {
        var map = new Dictionary<string, SafetensorsFile>(StringComparer.Ordinal);
        foreach (var f in files)
        foreach (var name in f.Entries.Keys)
            if (!map.TryAdd(name, f)) throw new InvalidDataException($"tensor '{name}' appears in both {map[name].Path} and {f.Path}");
        return new CheckpointReader(map);
    }

    private static CheckpointReader FromIndex(string folder, string indexPath)
    {
        Dictionary<string, string> weightMap;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(indexPath));
            weightMap = doc.RootElement.GetProperty("weight_map").EnumerateObject()
                .ToDictionary(p => p.Name, p => p.Value.GetString() ?? "", StringComparer.Ordinal);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new InvalidDataException($"{indexPath}: invalid safetensors index ({ex.Message})", ex);
        }
        var shards = weightMap.Values.Distinct().ToDictionary(f => f, f => SafetensorsFile.Open(System.IO.Path.Combine(folder, f)));
        var map = new Dictionary<string, SafetensorsFile>(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var (name, file) in weightMap)
        {
            if (!shards[file].Entries.ContainsKey(name)) problems.Add($"'{name}' is mapped to {file} but that shard does not contain it");
            else map[name] = shards[file];
        }
        if (problems.Count > 0) throw new InvalidDataException($"{indexPath}: {string.Join("; ", problems)}");
        return new CheckpointReader(map);
    }
}
