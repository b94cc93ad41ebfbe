using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pipeline.Cli.Output;

/// <summary>Writes a command's result: JSON (snake_case, stable shapes) or the human form.</summary>
internal static class CliOutput
{
    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static void Write<T>(T result, bool json, Action<T> human)
    {
        if (json) Console.Out.WriteLine(JsonSerializer.Serialize(result, JsonOptions));
        else human(result);
    }

    /// <summary>One error line (and a JSON error object with --json); returns the exit code.</summary>
    public static int Fail(string message, bool json, int exitCode = 1)
    {
        if (json) Console.Out.WriteLine(JsonSerializer.Serialize(new { error = message }, JsonOptions));
        Console.Error.WriteLine($"error: {message}");
        return exitCode;
    }
}
