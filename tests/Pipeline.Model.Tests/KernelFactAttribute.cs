using Pipeline.Model.Kernels;

namespace Pipeline.Model.Tests;

/// <summary>A fact about <see cref="SkinnyMatmul"/>; skipped with the reason on a CPU where the kernel does not run (generation then keeps the TorchSharp decode step).</summary>
public sealed class KernelFactAttribute : FactAttribute
{
    public KernelFactAttribute()
    {
        if (!SkinnyMatmul.IsSupported) Skip = KernelTheoryAttribute.Reason;
    }
}

/// <summary>A theory about <see cref="SkinnyMatmul"/>, skipped like <see cref="KernelFactAttribute"/>.</summary>
public sealed class KernelTheoryAttribute : TheoryAttribute
{
    public const string Reason = "this CPU has neither AVX-512 nor AVX2 with FMA: the C# decode step does not run here";

    public KernelTheoryAttribute()
    {
        if (!SkinnyMatmul.IsSupported) Skip = Reason;
    }
}
