namespace Pipeline.Dedup.Staged;

/// <summary>
/// One shard's fingerprints in line order: header (permutations), then per document its 128-bit
/// content hash, an empty flag and the signature — 17 + 4·K bytes a document (529 for K = 128).
/// </summary>
public static class SignatureFile
{
    public static void WriteHeader(BinaryWriter writer, int permutations) => writer.Write(permutations);

    public static void Write(BinaryWriter writer, Core.Fingerprint fingerprint)
    {
        writer.Write((ulong)fingerprint.ContentHash);
        writer.Write((ulong)(fingerprint.ContentHash >> 64));
        writer.Write(fingerprint.IsEmpty);
        if (BitConverter.IsLittleEndian) writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(fingerprint.Signature.AsSpan()));
        else foreach (var slot in fingerprint.Signature) writer.Write(slot);
    }

    /// <summary>Streams the file; the signature span is reused between documents.</summary>
    public static IEnumerable<SignatureRecord> Read(BinaryReader reader)
    {
        var permutations = reader.ReadInt32();
        var signature = new uint[permutations];
        for (var position = 0; ; position++)
        {
            ulong low;
            try
            {
                low = reader.ReadUInt64();
            }
            catch (EndOfStreamException)
            {
                yield break;
            }
            var hash = new UInt128(reader.ReadUInt64(), low);
            var empty = reader.ReadBoolean();
            if (BitConverter.IsLittleEndian) reader.BaseStream.ReadExactly(System.Runtime.InteropServices.MemoryMarshal.AsBytes(signature.AsSpan()));
            else for (var i = 0; i < permutations; i++) signature[i] = reader.ReadUInt32();
            yield return new SignatureRecord(position, hash, empty, signature);
        }
    }
}

public readonly record struct SignatureRecord(int Position, UInt128 ContentHash, bool IsEmpty, uint[] Signature);
