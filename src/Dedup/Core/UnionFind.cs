namespace Pipeline.Dedup.Core;

/// <summary>
/// Disjoint sets over 0..n-1 with path halving and union by the smaller root index, so a set's
/// root is always its smallest member — the member the keep-first rule keeps.
/// </summary>
public sealed class UnionFind
{
    private readonly int[] _parent;

    public UnionFind(int count)
    {
        _parent = new int[count];
        for (var i = 0; i < count; i++) _parent[i] = i;
    }

    public int Count => _parent.Length;

    public int Find(int x)
    {
        while (_parent[x] != x)
        {
            _parent[x] = _parent[_parent[x]];
            x = _parent[x];
        }
        return x;
    }

    /// <returns>True when the two were in different sets.</returns>
    public bool Union(int x, int y)
    {
        var rx = Find(x);
        var ry = Find(y);
        if (rx == ry) return false;
        if (rx < ry) _parent[ry] = rx;
        else _parent[rx] = ry;
        return true;
    }
}
