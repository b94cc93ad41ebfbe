namespace Pipeline.Model.Safetensors;

/// <summary>One tensor described by a safetensors header; offsets are relative to the data section.</summary>
public sealed record SafetensorsEntry(string Name, string DType, long[] Shape, long Begin, long End)
{
    public string ShapeText => "[" + string.Join(", ", Shape) + "]";
}
