namespace Pipeline.Ingest.Steps;

/// <summary>Per-thread buffers of the repetition filter, grown to the longest document seen.</summary>
internal sealed class NGramScratch
{
    public NGramTable Table { get; } = new();
    public ulong[] Hashes { get; private set; } = new ulong[1024];
    public ulong[] Grams { get; private set; } = new ulong[1024];
    public int[] Prefix { get; private set; } = new int[1025];
    public int[] Active { get; private set; } = new int[1024];
    public int[] Slots { get; private set; } = new int[1024];

    public void Ensure(int words)
    {
        if (words <= Hashes.Length) return;
        var size = Math.Max(words, Hashes.Length * 2);
        Hashes = new ulong[size];
        Grams = new ulong[size];
        Prefix = new int[size + 1];
        Active = new int[size];
        Slots = new int[size];
    }
}
