using System.Buffers.Binary;
using System.Text;

namespace Pipeline.Model.Tokenization;

/// <summary>
/// Reads a SentencePiece <c>tokenizer.model</c> (a protobuf <c>ModelProto</c>) with a minimal
/// wire-format decoder: only the fields that affect encoding are read; proto2 defaults apply
/// to absent ones (add_dummy_prefix and remove_extra_whitespaces default to true).
/// </summary>
public static class SentencePieceModelReader
{
    public static SentencePieceBpeTokenizer Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"SentencePiece model not found: {path}", path);
        try
        {
            return Parse(File.ReadAllBytes(path));
        }
        catch (Exception ex) when (ex is IndexOutOfRangeException or ArgumentOutOfRangeException or InvalidDataException)
        {
            throw new InvalidDataException($"{path}: not a valid SentencePiece model ({ex.Message})", ex);
        }
    }

    public static SentencePieceBpeTokenizer Parse(byte[] data)
    {
        var pieces = new List<Piece>();
        int modelType = 1, unk = 0, bos = 1, eos = 2;
        bool byteFallback = false, dummyPrefix = true, removeWs = true;
        var normalizerName = "nmt_nfkc";
        foreach (var (field, _, value) in Fields(data))
        {
            switch (field)
            {
                case 1: pieces.Add(ParsePiece(value)); break;
                case 2:
                    foreach (var (f, v, _) in Fields(value))
                    {
                        if (f == 3) modelType = (int)v;
                        else if (f == 35) byteFallback = v != 0;
                        else if (f == 40) unk = (int)v;
                        else if (f == 41) bos = (int)v;
                        else if (f == 42) eos = (int)v;
                    }
                    break;
                case 3:
                    foreach (var (f, v, bytes) in Fields(value))
                    {
                        if (f == 1) normalizerName = Encoding.UTF8.GetString(bytes);
                        else if (f == 3) dummyPrefix = v != 0;
                        else if (f == 4) removeWs = v != 0;
                    }
                    break;
            }
        }
        if (pieces.Count == 0) throw new InvalidDataException("model has no pieces");
        if (modelType != 2) throw new NotSupportedException($"SentencePiece model_type {modelType} is not supported: only BPE (2), as Llama 2 uses");
        var options = new SentencePieceOptions(
            AddDummyPrefix: dummyPrefix,
            RemoveExtraWhitespaces: removeWs,
            ByteFallback: byteFallback,
            NfkcNormalize: normalizerName.Contains("nfkc", StringComparison.OrdinalIgnoreCase),
            UnkId: unk,
            BosId: bos >= 0 ? bos : null,
            EosId: eos >= 0 ? eos : null);
        return new SentencePieceBpeTokenizer(pieces, options);
    }

    private static Piece ParsePiece(byte[] data)
    {
        string text = "";
        float score = 0;
        var type = PieceType.Normal;
        foreach (var (f, v, bytes) in Fields(data))
        {
            if (f == 1) text = Encoding.UTF8.GetString(bytes);
            else if (f == 2) score = BitConverter.Int32BitsToSingle((int)v);
            else if (f == 3) type = (PieceType)v;
        }
        return new Piece(text, score, type);
    }

    /// <summary>Yields (field number, varint/fixed value, length-delimited bytes).</summary>
    private static IEnumerable<(int Field, ulong Value, byte[] Bytes)> Fields(byte[] data)
    {
        var pos = 0;
        while (pos < data.Length)
        {
            var key = ReadVarint(data, ref pos);
            var field = (int)(key >> 3);
            switch (key & 7)
            {
                case 0: yield return (field, ReadVarint(data, ref pos), []); break;
                case 1: yield return (field, BinaryPrimitives.ReadUInt64LittleEndian(data.AsSpan(pos, 8)), []); pos += 8; break;
                case 5: yield return (field, BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(pos, 4)), []); pos += 4; break;
                case 2:
                    var len = (int)ReadVarint(data, ref pos);
                    if (len < 0 || pos + len > data.Length) throw new InvalidDataException($"length {len} at byte {pos} runs past the end");
                    yield return (field, 0, data.AsSpan(pos, len).ToArray());
                    pos += len;
                    break;
                default: throw new InvalidDataException($"unsupported protobuf wire type {key & 7} at byte {pos}");
            }
        }
    }

    private static ulong ReadVarint(byte[] data, ref int pos)
    {
        ulong result = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = data[pos++];
            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return result;
        }
        throw new InvalidDataException("varint too long");
    }
}
