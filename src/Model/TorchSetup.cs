using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Model;

/// <summary>Turns the user's --device/--dtype/--threads into TorchSharp settings, with clear errors.</summary>
public static class TorchSetup
{
    public static Device ParseDevice(string? name)
    {
        name = string.IsNullOrWhiteSpace(name) ? "cpu" : name.Trim().ToLowerInvariant();
        if (name.StartsWith("cuda", StringComparison.Ordinal) && !cuda.is_available())
            throw new ArgumentException($"--device {name}: CUDA is not available in this build/machine (reference TorchSharp-cuda-linux for GPUs)");
        return device(name);
    }

    public static ScalarType ParseDtype(string? name) => (name ?? "float32").Trim().ToLowerInvariant() switch
    {
        "float32" or "fp32" or "f32" => ScalarType.Float32,
        "bfloat16" or "bf16" => ScalarType.BFloat16,
        "float16" or "fp16" or "f16" => ScalarType.Float16,
        var other => throw new ArgumentException($"--dtype '{other}' is not one of float32, bfloat16, float16"),
    };

    /// <summary>Threads for intra-op parallelism; 0 keeps libtorch's default.</summary>
    public static void SetThreads(int threads)
    {
        if (threads > 0) set_num_threads(threads);
    }
}
