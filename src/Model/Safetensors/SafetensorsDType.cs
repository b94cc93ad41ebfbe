using static TorchSharp.torch;

namespace Pipeline.Model.Safetensors;

/// <summary>The dtype strings of the safetensors format and their element sizes.</summary>
public static class SafetensorsDType
{
    private static readonly Dictionary<string, (ScalarType Type, int Size)> ByName = new()
    {
        ["F64"] = (ScalarType.Float64, 8),
        ["F32"] = (ScalarType.Float32, 4),
        ["F16"] = (ScalarType.Float16, 2),
        ["BF16"] = (ScalarType.BFloat16, 2),
        ["I64"] = (ScalarType.Int64, 8),
        ["I32"] = (ScalarType.Int32, 4),
        ["I16"] = (ScalarType.Int16, 2),
        ["I8"] = (ScalarType.Int8, 1),
        ["U8"] = (ScalarType.Byte, 1),
        ["BOOL"] = (ScalarType.Bool, 1),
    };

    public static IReadOnlyCollection<string> Names => ByName.Keys;

    public static bool TryParse(string name, out ScalarType type, out int size)
    {
        var ok = ByName.TryGetValue(name, out var v);
        (type, size) = v;
        return ok;
    }

    public static string NameOf(ScalarType type) =>
        ByName.FirstOrDefault(kv => kv.Value.Type == type).Key
        ?? throw new NotSupportedException($"dtype {type} has no safetensors equivalent");

    public static bool IsFloating(string name) => name is "F64" or "F32" or "F16" or "BF16";
}
