using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using static TorchSharp.torch;

namespace Pipeline.Model.Safetensors;

/// <summary>
/// Reader for the safetensors format: 8-byte little-endian header length N, N bytes of JSON
/// header, then raw little-endian tensor bytes. The header is validated against the file size
/// before any tensor is read, so a truncated or corrupt file fails with a clear message instead
/// of loading garbage.
/// </summary>
public sealed class SafetensorsFile
{
    private const long MaxHeaderBytes = 100L * 1024 * 1024;

    private SafetensorsFile(string path, long dataStart, IReadOnlyDictionary<string, SafetensorsEntry> entries, IReadOnlyDictionary<string, string> metadata)
    {
        Path = path;
        DataStart = dataStart;
        Entries = entries;
        Metadata = metadata;
    }

    public string Path { get; }
    public long DataStart { get; }
    public IReadOnlyDictionary<string, SafetensorsEntry> Entries { get; }
    public IReadOnlyDictionary<string, string> Metadata { get; }

    public static SafetensorsFile Open(string path)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("safetensors reading needs a little-endian CPU");
        if (!File.Exists(path)) throw new FileNotFoundException($"safetensors file not found: {path}", path);
        using var stream = File.OpenRead(path);
        var length = stream.Length;
        if (length < 8) throw Corrupt(path, $"file is {length} bytes, shorter than the 8-byte header length");
        Span<byte> prefix = stackalloc byte[8];
        stream.ReadExactly(prefix);
        var headerLength = BinaryPrimitives.ReadInt64LittleEndian(prefix);
        if (headerLength <= 0 || headerLength > MaxHeaderBytes)
            throw Corrupt(path, $"header length {headerLength} is not plausible");
        if (headerLength > length - 8)
            throw Corrupt(path, $"header length {headerLength} exceeds the {length - 8} bytes after the length prefix (truncated?)");
        var header = new byte[headerLength];
        stream.ReadExactly(header);
        var (entries, metadata) = ParseHeader(path, header);
        var dataLength = length - 8 - headerLength;
        Validate(path, entries.Values, dataLength);
        return new SafetensorsFile(path, 8 + headerLength, entries, metadata);
    }

    /// <summary>Reads one tensor (CPU, the file's dtype).</summary>
    public Tensor Read(string name)
    {
        if (!Entries.TryGetValue(name, out var e)) throw new KeyNotFoundException($"{Path}: no tensor named '{name}'");
        SafetensorsDType.TryParse(e.DType, out var type, out _);
        var bytes = new byte[e.End - e.Begin];
        using (var stream = File.OpenRead(Path))
        {
            stream.Seek(DataStart + e.Begin, SeekOrigin.Begin);
            stream.ReadExactly(bytes);
        }
        var t = empty(e.Shape, type);
        if (bytes.Length > 0) t.bytes = bytes;
        return t;
    }

    private static (Dictionary<string, SafetensorsEntry>, Dictionary<string, string>) ParseHeader(string path, byte[] header)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(Encoding.UTF8.GetString(header).TrimEnd(' ', '\0'));
        }
        catch (JsonException ex)
        {
            throw Corrupt(path, $"header is not valid JSON ({ex.Message})");
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw Corrupt(path, "header is not a JSON object");
            var entries = new Dictionary<string, SafetensorsEntry>(StringComparer.Ordinal);
            var metadata = new Dictionary<string, string>();
            foreach (var prop in doc.RootElement.EnumerateObject())
            {
                if (prop.Name == "__metadata__")
                {
                    foreach (var m in prop.Value.EnumerateObject()) metadata[m.Name] = m.Value.ToString();
                    continue;
                }
                entries[prop.Name] = ParseEntry(path, prop);
            }
            return (entries, metadata);
        }
    }

    private static SafetensorsEntry ParseEntry(string path, JsonProperty prop)
    {
        try
        {
            var v = prop.Value;
            var dtype = v.GetProperty("dtype").GetString() ?? "";
            if (!SafetensorsDType.TryParse(dtype, out _, out _))
                throw Corrupt(path, $"tensor '{prop.Name}' has unsupported dtype '{dtype}' (supported: {string.Join(", ", SafetensorsDType.Names)})");
            var shape = v.GetProperty("shape").EnumerateArray().Select(x => x.GetInt64()).ToArray();
            var offsets = v.GetProperty("data_offsets").EnumerateArray().Select(x => x.GetInt64()).ToArray();
            if (offsets.Length != 2) throw Corrupt(path, $"tensor '{prop.Name}' data_offsets must have 2 numbers");
            return new SafetensorsEntry(prop.Name, dtype, shape, offsets[0], offsets[1]);
        }
        catch (Exception ex) when (ex is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw Corrupt(path, $"tensor '{prop.Name}' has a malformed header entry ({ex.Message})");
        }
    }

    private static void Validate(string path, IEnumerable<SafetensorsEntry> entries, long dataLength)
    {
        long expectedBegin = 0;
        foreach (var e in entries.OrderBy(e => e.Begin).ThenBy(e => e.End))
        {
            SafetensorsDType.TryParse(e.DType, out _, out var size);
            if (e.Shape.Any(d => d < 0)) throw Corrupt(path, $"tensor '{e.Name}' has a negative dimension {e.ShapeText}");
            var numel = e.Shape.Aggregate(1L, (a, d) => a * d);
            if (e.End - e.Begin != numel * size)
                throw Corrupt(path, $"tensor '{e.Name}' {e.DType} {e.ShapeText} needs {numel * size} bytes but its offsets span {e.End - e.Begin}");
            if (e.Begin != expectedBegin)
                throw Corrupt(path, $"tensor '{e.Name}' starts at {e.Begin}, expected {expectedBegin} (overlap or gap in data section)");
            expectedBegin = e.End;
        }
        if (expectedBegin > dataLength)
            throw Corrupt(path, $"header describes {expectedBegin} bytes of tensor data but only {dataLength} follow it (file truncated)");
        if (expectedBegin < dataLength)
            throw Corrupt(path, $"{dataLength - expectedBegin} unexpected bytes after the last tensor");
    }

    private static InvalidDataException Corrupt(string path, string problem) =>
        new($"{path}: corrupt safetensors file: {problem}");
}
