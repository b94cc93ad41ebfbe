using Microsoft.Extensions.Configuration;
using Pipeline.ServiceDefaults.Options;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace Pipeline.ServiceDefaults.Logging;

/// <summary>
/// One logger setup for every service: console, a rolling CLEF file (embedded mode), Seq when
/// <c>Seq:ServerUrl</c> is set; every event carries the service name, and run/iteration ids where a
/// message is being handled (see <see cref="CorrelationLogContextFilter{T}"/>).
/// </summary>
public static class SerilogConfiguration
{
    public static LoggerConfiguration Apply(LoggerConfiguration logger, IConfiguration configuration, string serviceName)
    {
        var logging = configuration.GetSection(PipelineLoggingOptions.Section).Get<PipelineLoggingOptions>() ?? new PipelineLoggingOptions();
        var seq = configuration.GetSection(SeqOptions.Section).Get<SeqOptions>() ?? new SeqOptions();
        var level = Enum.TryParse<LogEventLevel>(logging.MinimumLevel, ignoreCase: true, out var parsed) ? parsed : LogEventLevel.Information;

        logger
            .MinimumLevel.Is(level)
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Information)
            .MinimumLevel.Override("MassTransit", LogEventLevel.Warning)
            .MinimumLevel.Override("System.Net.Http", LogEventLevel.Warning)
            .MinimumLevel.Override("Azure", LogEventLevel.Warning)
            .Enrich.FromLogContext()
            .Enrich.WithProperty("Service", serviceName)
            .Enrich.WithProperty("MachineName", Environment.MachineName);

        if (logging.Console)
        {
            logger.WriteTo.Console(
                outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {Service}: {Message:lj}{NewLine}{Exception}",
                standardErrorFromLevel: logging.ConsoleToStandardError ? LogEventLevel.Verbose : null);
        }
        var filePath = logging.FilePath ?? Path.Combine(".pipeline", "logs", $"{serviceName}-.clef");
        if (!string.IsNullOrWhiteSpace(filePath))
        {
            logger.WriteTo.File(new CompactJsonFormatter(), filePath, rollingInterval: RollingInterval.Day, retainedFileCountLimit: 14, shared: true);
        }
        // A malformed URL is left to SeqOptionsValidator, which stops start-up naming Seq:ServerUrl;
        // handing it to the sink would throw a bare UriFormatException while the logger is built.
        if (Uri.TryCreate(seq.ServerUrl, UriKind.Absolute, out _))
        {
            logger.WriteTo.Seq(seq.ServerUrl, apiKey: string.IsNullOrWhiteSpace(seq.ApiKey) ? null : seq.ApiKey);
        }
        return logger;
    }
}
