using static TorchSharp.torch;

namespace Pipeline.Model.Safetensors;

/// <summary>
/// Copies checkpoint tensors into a module's parameters by name. Every mismatch (missing,
/// unexpected, wrong shape, non-float data for a float parameter) is collected and reported in
/// one error. Floating-point data is converted to the parameter's dtype (a bf16/fp16 checkpoint
/// loads into a float32 model), as transformers does with torch_dtype.
/// </summary>
public static class WeightLoader
{
    /// <param name="ignorable">Checkpoint names that may be present without a matching parameter
    /// (e.g. <c>lm_head.weight</c> in a tied model, old <c>rotary_emb.inv_freq</c> buffers).</param>
    public static void Load(nn.Module module, CheckpointReader checkpoint, string source, Func<string, bool>? ignorable = null)
    {
        var expected = module.state_dict();
        var problems = new List<string>();
        foreach (var (name, target) in expected)
        {
            if (!checkpoint.Names.Contains(name))
            {
                problems.Add($"missing '{name}' ({target.dtype} [{string.Join(", ", target.shape)}])");
                continue;
            }
            var e = checkpoint.Entry(name);
            if (!e.Shape.SequenceEqual(target.shape))
                problems.Add($"shape mismatch '{name}': checkpoint {e.ShapeText}, model [{string.Join(", ", target.shape)}]");
            if (target.is_floating_point() != SafetensorsDType.IsFloating(e.DType))
                problems.Add($"dtype mismatch '{name}': checkpoint {e.DType}, model {target.dtype}");
        }
        foreach (var name in checkpoint.Names)
            if (!expected.ContainsKey(name) && !(ignorable?.Invoke(name) ?? false))
                problems.Add($"unexpected '{name}' ({checkpoint.Entry(name).DType} {checkpoint.Entry(name).ShapeText})");
        if (problems.Count > 0)
            throw new InvalidDataException($"{source}: checkpoint does not match the model ({problems.Count} problems): {string.Join("; ", problems)}");

        using var _ = no_grad();
        foreach (var (name, target) in expected)
        {
            using var scope = NewDisposeScope();
            target.copy_(checkpoint.Read(name).to(target.dtype, target.device));
        }
    }
}
