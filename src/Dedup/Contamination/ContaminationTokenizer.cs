using System.Globalization;
using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace Pipeline.Dedup.Contamination;

/// <summary>
/// Tokens for contamination matching: lower-cased runs of letters and digits, each reduced to a
/// 64-bit XxHash3. The paper matched model tokens; words keep the analysis independent of any
/// tokenizer, and a 10-word span is a stricter match than 10 sub-word tokens.
/// </summary>
public static class ContaminationTokenizer
{
    public static ulong[] Tokenize(string text)
    {
        var tokens = new List<ulong>(text.Length / 5);
        Span<char> lower = stackalloc char[256];
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var inWord = i < text.Length && char.IsLetterOrDigit(text[i]);
            if (inWord && start < 0) start = i;
            if (inWord || start < 0) continue;
            var word = text.AsSpan(start, Math.Min(i - start, lower.Length));
            var length = word.ToLower(lower, CultureInfo.InvariantCulture);
            tokens.Add(XxHash3.HashToUInt64(MemoryMarshal.AsBytes(lower[..length])));
            start = -1;
        }
        return tokens.ToArray();
    }
}
