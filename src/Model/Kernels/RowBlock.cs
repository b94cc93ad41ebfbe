namespace Pipeline.Model.Kernels;

/// <summary>
/// How many rows one <see cref="SkinnyMatmul"/> block multiplies. A type, not a number, so the JIT
/// compiles one copy of the block per count with that many accumulators held in registers and the
/// other rows' code removed.
/// </summary>
internal interface IRowBlock
{
    static abstract int Count { get; }
}

internal readonly struct OneRow : IRowBlock { public static int Count => 1; }

internal readonly struct TwoRows : IRowBlock { public static int Count => 2; }

internal readonly struct FourRows : IRowBlock { public static int Count => 4; }

internal readonly struct EightRows : IRowBlock { public static int Count => 8; }
