using System.Text.RegularExpressions;
using static TorchSharp.torch;

namespace Pipeline.Model;

/// <summary>Parameter counts grouped by module, with per-layer parts folded together ("model.layers.*.mlp").</summary>
public static partial class ModelSummary
{
    [GeneratedRegex(@"^model\.layers\.\d+\.")]
    private static partial Regex LayerPrefix();

    public static IReadOnlyDictionary<string, long> ParametersByModule(nn.Module module)
    {
        var result = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var (name, p) in module.named_parameters())
        {
            var n = p.numel();
            if (LayerPrefix().IsMatch(name))
            {
                Add(result, "model.layers", n);
                var rest = LayerPrefix().Replace(name, "");
                var part = rest.Split('.')[0];
                Add(result, "model.layers.*." + (part.EndsWith("layernorm", StringComparison.Ordinal) ? "norms" : part), n);
            }
            else
            {
                Add(result, name[..name.LastIndexOf('.')], n);
            }
        }
        return result;
    }

    private static void Add(SortedDictionary<string, long> d, string key, long n) => d[key] = d.GetValueOrDefault(key) + n;
}
