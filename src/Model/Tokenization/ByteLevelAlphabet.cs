namespace Pipeline.Model.Tokenization;

/// <summary>
/// GPT-2's <c>bytes_to_unicode</c>: every byte gets a printable character so byte-level BPE tokens
/// can be stored as JSON strings and split on spaces in merges.txt. Printable Latin-1 bytes map to
/// themselves; the other 68 (controls, space, 0x7F-0xA0, 0xAD) map to U+0100 onwards in byte order,
/// which is why a space is 'Ġ' (U+0120) and a newline 'Ċ' (U+010A).
/// </summary>
public static class ByteLevelAlphabet
{
    private static readonly char[] ByteToChar = Build();

    public static char Of(byte b) => ByteToChar[b];

    public static string Encode(ReadOnlySpan<byte> bytes)
    {
        var chars = new char[bytes.Length];
        for (var i = 0; i < bytes.Length; i++) chars[i] = ByteToChar[bytes[i]];
        return new string(chars);
    }

    private static char[] Build()
    {
        static bool KeepsItself(int b) => b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
        var map = new char[256];
        var next = 256;
        for (var b = 0; b < 256; b++) map[b] = KeepsItself(b) ? (char)b : (char)next++;
        return map;
    }
}
