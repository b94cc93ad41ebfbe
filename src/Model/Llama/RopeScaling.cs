using System.Text.Json;
using static TorchSharp.torch;

namespace Pipeline.Model.Llama;

public enum RopeScalingType
{
    /// <summary>Positions divided by the factor (inv_freq / factor).</summary>
    Linear,
    /// <summary>NTK-aware: past max_position_embeddings, theta grows with the sequence length.</summary>
    Dynamic,
    /// <summary>Llama 3.1: low frequencies divided by the factor, high ones kept, a smooth blend between.</summary>
    Llama3,
}

/// <summary>
/// config.json's <c>rope_scaling</c>, with transformers' Llama semantics for the linear, dynamic and
/// llama3 types (<c>modeling_rope_utils.py</c>). None of them scales attention (attention_factor 1).
/// </summary>
public sealed record RopeScaling(RopeScalingType Type, double Factor, double LowFreqFactor = 0, double HighFreqFactor = 0, int OriginalMaxPositionEmbeddings = 0)
{
    /// <summary>
    /// Reads the JSON object, adding one problem per missing or invalid field. Null (and transformers'
    /// explicit "default" type) mean no scaling. The type is "rope_type", or the older "type".
    /// </summary>
    public static RopeScaling? Parse(JsonElement? element, List<string> problems)
    {
        if (element is not { } e || e.ValueKind == JsonValueKind.Null) return null;
        if (e.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"rope_scaling must be an object or null (got {e.ValueKind})");
            return null;
        }
        var typeName = Text(e, "rope_type") ?? Text(e, "type");
        var type = typeName switch
        {
            "linear" => RopeScalingType.Linear,
            "dynamic" => RopeScalingType.Dynamic,
            "llama3" => RopeScalingType.Llama3,
            "default" => (RopeScalingType?)null,
            null => Fail("rope_scaling.rope_type is required (linear, dynamic or llama3)"),
            _ => Fail($"rope_scaling.rope_type '{typeName}' is not supported (only linear, dynamic or llama3)"),
        };
        if (type is not { } t) return null;
        var count = problems.Count;
        var factor = Number(e, "factor", problems, f => f >= 1, ">= 1");
        if (t != RopeScalingType.Llama3) return problems.Count == count ? new RopeScaling(t, factor) : null;

        var low = Number(e, "low_freq_factor", problems, f => f > 0, "> 0");
        var high = Number(e, "high_freq_factor", problems, f => f > 0, "> 0");
        var original = Number(e, "original_max_position_embeddings", problems, f => f >= 1 && f == Math.Floor(f), "a whole number >= 1");
        if (problems.Count == count && high <= low)
            problems.Add($"rope_scaling.high_freq_factor ({high}) must be greater than low_freq_factor ({low})");
        return problems.Count == count ? new RopeScaling(t, factor, low, high, (int)original) : null;

        RopeScalingType? Fail(string problem)
        {
            problems.Add(problem);
            return null;
        }
    }

    /// <summary>
    /// inv_freq for a forward pass whose positions reach <paramref name="sequenceLength"/> - 1, given
    /// the unscaled theta^(-2i/d) computation as <see cref="Rotary.InverseFrequencies(int, double)"/>.
    /// </summary>
    public Tensor InverseFrequencies(int headDim, double theta, int maxPositionEmbeddings, int sequenceLength) => Type switch
    {
        RopeScalingType.Linear => Rotary.InverseFrequencies(headDim, theta) / Factor,
        RopeScalingType.Dynamic => Rotary.InverseFrequencies(headDim, DynamicTheta(headDim, theta, maxPositionEmbeddings, sequenceLength)),
        _ => Llama3(Rotary.InverseFrequencies(headDim, theta)),
    };

    /// <summary>theta * ((factor * L / max) - (factor - 1))^(d / (d - 2)) once L exceeds max; theta itself before.</summary>
    public double DynamicTheta(int headDim, double theta, int maxPositionEmbeddings, int sequenceLength)
    {
        if (sequenceLength <= maxPositionEmbeddings) return theta;
        var growth = Factor * sequenceLength / maxPositionEmbeddings - (Factor - 1);
        return theta * Math.Pow(growth, headDim / (headDim - 2.0));
    }

    /// <summary>
    /// Wavelengths (2π / inv_freq) longer than original / low_freq_factor are divided by the factor,
    /// shorter than original / high_freq_factor kept; between, inv_freq blends the two with
    /// s = (original / wavelength - low) / (high - low): (1 - s) * inv / factor + s * inv.
    /// </summary>
    private Tensor Llama3(Tensor inv)
    {
        using var scope = NewDisposeScope();
        var wavelength = 2 * Math.PI / inv;
        var lowFreqWavelength = OriginalMaxPositionEmbeddings / LowFreqFactor;
        var highFreqWavelength = OriginalMaxPositionEmbeddings / HighFreqFactor;
        var scaled = where(wavelength.gt(lowFreqWavelength), inv / Factor, inv);
        var smooth = (OriginalMaxPositionEmbeddings / wavelength - LowFreqFactor) / (HighFreqFactor - LowFreqFactor);
        var blended = (1 - smooth) * scaled / Factor + smooth * scaled;
        var medium = wavelength.ge(highFreqWavelength).logical_and(wavelength.le(lowFreqWavelength));
        return where(medium, blended, scaled).MoveToOuterDisposeScope();
    }

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static double Number(JsonElement e, string name, List<string> problems, Func<double, bool> valid, string requirement)
    {
        if (!e.TryGetProperty(name, out var v))
        {
            problems.Add($"rope_scaling.{name} is required");
            return double.NaN;
        }
        if (v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var d) && valid(d)) return d;
        problems.Add($"rope_scaling.{name} must be a number {requirement} (got {v.GetRawText()})");
        return double.NaN;
    }
}
