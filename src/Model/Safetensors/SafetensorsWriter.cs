using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using static TorchSharp.torch;

namespace Pipeline.Model.Safetensors;

/// <summary>Writes tensors in the safetensors format (atomically: temp file, then rename).</summary>
public static class SafetensorsWriter
{
    public static void Write(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("safetensors writing needs a little-endian CPU");
        var list = tensors.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToList();
        var header = new JsonObject();
        var meta = new JsonObject { ["format"] = "pt" };
        if (metadata is not null) foreach (var (k, v) in metadata) meta[k] = v;
        header["__metadata__"] = meta;
        long offset = 0;
        foreach (var (name, t) in list)
        {
            var bytes = t.numel() * t.ElementSize;
            header[name] = new JsonObject
            {
                ["dtype"] = SafetensorsDType.NameOf(t.dtype),
                ["shape"] = new JsonArray(t.shape.Select(d => (JsonNode)d).ToArray()),
                ["data_offsets"] = new JsonArray(offset, offset + bytes),
            };
            offset += bytes;
        }
        var json = Encoding.UTF8.GetBytes(header.ToJsonString());
        // Pad with spaces so the data section starts 8-byte aligned, as the reference writer does.
        var padded = (json.Length + 7) / 8 * 8;
        var headerBytes = new byte[padded];
        Array.Fill(headerBytes, (byte)' ');
        json.CopyTo(headerBytes, 0);

        var dir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        Directory.CreateDirectory(dir);
        var temp = path + ".tmp";
        using (var stream = File.Create(temp))
        {
            Span<byte> prefix = stackalloc byte[8];
            BinaryPrimitives.WriteInt64LittleEndian(prefix, padded);
            stream.Write(prefix);
            stream.Write(headerBytes);
            foreach (var (_, t) in list)
            {
                if (t.numel() == 0) continue;
                using var cpu = t.detach().cpu().contiguous();
                stream.Write(cpu.bytes);
            }
        }
        File.Move(temp, path, overwrite: true);
    }
}
