using System.Runtime.InteropServices;

namespace Pipeline.Dedup.Core;

/// <summary>
/// Exact plus MinHash-LSH near-duplicate removal over documents that fit in memory: the reference
/// the staged, distributed flow must agree with, and what tests and benchmarks measure.
/// Keep rule: in each cluster the document with the lowest input index (the first seen) is kept.
/// </summary>
public sealed class InMemoryDeduplicator(DedupSettings settings)
{
    /// <summary>With verification, a new bucket member is checked against at most this many earlier members.</summary>
    private const int VerifyAttemptsPerBucket = 4;

    public DedupSettings Settings { get; } = settings;
    public LshParameters Lsh { get; } = settings.Lsh();

    public IReadOnlyList<DedupDecision> Deduplicate(IReadOnlyList<string> texts)
    {
        var fingerprints = new Fingerprint[texts.Count];
        var shingleSets = Settings.VerifyCandidates ? new ulong[texts.Count][] : null;
        Parallel.For(0, texts.Count, () => new Fingerprinter(Settings), (i, _, fingerprinter) =>
        {
            fingerprints[i] = fingerprinter.Compute(texts[i], out var normalized);
            if (shingleSets is not null) shingleSets[i] = fingerprinter.ShingleSet(normalized);
            return fingerprinter;
        }, _ => { });

        var sets = new UnionFind(texts.Count);
        var exact = new bool[texts.Count];
        var firstByContent = new Dictionary<UInt128, int>();
        for (var i = 0; i < texts.Count; i++)
        {
            ref var first = ref CollectionsMarshal.GetValueRefOrAddDefault(firstByContent, fingerprints[i].ContentHash, out var seen);
            if (seen)
            {
                sets.Union(first, i);
                exact[i] = true;
            }
            else first = i;
        }

        var bandHasher = new BandHasher(Lsh);
        for (var band = 0; band < Lsh.Bands; band++)
        {
            var buckets = new Dictionary<ulong, List<int>>();
            for (var i = 0; i < texts.Count; i++)
            {
                if (exact[i] || fingerprints[i].IsEmpty) continue;
                var key = bandHasher.Hash(fingerprints[i].Signature, band);
                ref var members = ref CollectionsMarshal.GetValueRefOrAddDefault(buckets, key, out _);
                members ??= [];
                if (members.Count > 0) LinkToBucket(members, i, sets, shingleSets);
                if (members.Count < VerifyAttemptsPerBucket) members.Add(i);
            }
        }
        return Decide(sets, exact);
    }

    private void LinkToBucket(List<int> members, int document, UnionFind sets, ulong[][]? shingleSets)
    {
        if (shingleSets is null)
        {
            sets.Union(members[0], document);
            return;
        }
        foreach (var member in members)
        {
            if (Jaccard.Exact(shingleSets[member], shingleSets[document]) >= Settings.Threshold)
            {
                sets.Union(member, document);
                return;
            }
        }
    }

    private static DedupDecision[] Decide(UnionFind sets, bool[] exact)
    {
        var decisions = new DedupDecision[sets.Count];
        for (var i = 0; i < sets.Count; i++)
        {
            var root = sets.Find(i);
            var kept = root == i;
            decisions[i] = new DedupDecision(i, kept, root, kept ? DuplicateKind.None : exact[i] ? DuplicateKind.Exact : DuplicateKind.Near);
        }
        return decisions;
    }
}
