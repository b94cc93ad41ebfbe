using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Pipeline.ServiceDefaults.Health;
using Pipeline.ServiceDefaults.Messaging;
using Pipeline.ServiceDefaults.Options;

namespace Pipeline.ServiceDefaults;

/// <summary>The whole Program.cs of a deployable service, so each one is a few lines and all start alike.</summary>
public static class PipelineServiceHost
{
    public static async Task<int> RunAsync(string serviceName, string[] args, Action<WebApplicationBuilder> addComponent)
    {
        try
        {
            var builder = WebApplication.CreateBuilder(args);
            builder.AddServiceDefaults(serviceName);
            var port = builder.Configuration.GetValue<int?>($"{ServiceOptions.Section}:{nameof(ServiceOptions.HttpPort)}") ?? 0;
            if (port > 0) builder.WebHost.UseUrls($"http://0.0.0.0:{port}");
            addComponent(builder);
            builder.AddPipelineBus();
            var app = builder.Build();
            app.MapHealthEndpoints();
            await app.RunAsync();
            return 0;
        }
        catch (Exception ex) when (StartupErrors.Describe(ex) is { } line)
        {
            // One clear line naming the key beats a 40-line stack trace for a configuration mistake.
            await Console.Error.WriteLineAsync($"{serviceName}: configuration error: {line}");
            return 2;
        }
    }
}

public static class StartupErrors
{
    /// <summary>A one-line description of a configuration error, or null if the exception is something else.</summary>
    public static string? Describe(Exception ex) => ex switch
    {
        OptionsValidationException validation => string.Join("; ", validation.Failures),
        InvalidOperationException { Message: var message } when message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal) => DescribeConversion(message),
        AggregateException aggregate when aggregate.InnerExceptions.Count == 1 => Describe(aggregate.InnerExceptions[0]),
        _ when ex.InnerException is not null => Describe(ex.InnerException),
        _ => null,
    };

    /// <summary>
    /// The binder says "Failed to convert configuration value 'Kafka' at 'Bus:Transport' to type
    /// 'Pipeline...BusTransport'"; for an enum, name the accepted values and the environment variable
    /// instead of a CLR type name an operator cannot act on.
    /// </summary>
    private static string DescribeConversion(string message)
    {
        var match = System.Text.RegularExpressions.Regex.Match(message, "^Failed to convert configuration value '(?<value>.*)' at '(?<key>[^']+)' to type '(?<type>[^']+)'");
        if (!match.Success) return message;
        var key = match.Groups["key"].Value;
        var type = AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetType(match.Groups["type"].Value)).FirstOrDefault(t => t is not null);
        var expected = type is { IsEnum: true } ? $"one of {string.Join(", ", Enum.GetNames(type))}" : $"a {type?.Name ?? match.Groups["type"].Value} value";
        return $"{key} (env {key.Replace(":", "__", StringComparison.Ordinal)}): '{match.Groups["value"].Value}' is not {expected}";
    }
}
