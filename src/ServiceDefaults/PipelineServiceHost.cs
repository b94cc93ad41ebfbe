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
        InvalidOperationException { Message: var message } when message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal) => message,
        AggregateException aggregate when aggregate.InnerExceptions.Count == 1 => Describe(aggregate.InnerExceptions[0]),
        _ when ex.InnerException is not null => Describe(ex.InnerException),
        _ => null,
    };
}
