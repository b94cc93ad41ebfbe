using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;

namespace Pipeline.Ingest.Sft;

/// <summary>
/// Normalised-prompt hash (exact duplicates after case, punctuation and spacing) and a 64-value
/// MinHash of word 3-grams (near duplicates). A small local version: the Dedup library does the
/// corpus-scale LSH; SFT sets are thousands of prompts, so pairwise comparison is affordable.
/// </summary>
public sealed class PromptSignature
{
    public const int Permutations = 64;
    private static readonly ulong[] Seeds = Enumerable.Range(0, Permutations).Select(i => 0x9E3779B97F4A7C15UL * (ulong)(i + 1)).ToArray();

    public PromptSignature(string prompt)
    {
        var normal = Normalise(prompt);
        ExactHash = XxHash3.HashToUInt64(MemoryMarshal.AsBytes(normal.AsSpan()));
        var words = normal.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        MinHash = new ulong[Permutations];
        Array.Fill(MinHash, ulong.MaxValue);
        var n = Math.Min(3, Math.Max(1, words.Length));
        for (var i = 0; i + n <= words.Length; i++)
        {
            var shingle = XxHash3.HashToUInt64(MemoryMarshal.AsBytes(string.Join(' ', words, i, n).AsSpan()));
            for (var p = 0; p < Permutations; p++)
            {
                var value = Mix(shingle ^ Seeds[p]);
                if (value < MinHash[p]) MinHash[p] = value;
            }
        }
    }

    public ulong ExactHash { get; }
    public ulong[] MinHash { get; }

    public double Similarity(PromptSignature other)
    {
        var same = 0;
        for (var p = 0; p < Permutations; p++)
        {
            if (MinHash[p] == other.MinHash[p]) same++;
        }
        return (double)same / Permutations;
    }

    public static string Normalise(string text)
    {
        var builder = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text.Normalize(NormalizationForm.FormC))
        {
            if (char.IsLetterOrDigit(c))
            {
                if (space && builder.Length > 0) builder.Append(' ');
                builder.Append(char.ToLowerInvariant(c));
                space = false;
            }
            else
            {
                space = true;
            }
        }
        return builder.ToString();
    }

    private static ulong Mix(ulong x)
    {
        x ^= x >> 33;
        x *= 0xff51afd7ed558ccdUL;
        x ^= x >> 33;
        x *= 0xc4ceb9fe1a85ec53UL;
        return x ^ (x >> 33);
    }
}
