using Microsoft.Extensions.Options;

namespace Pipeline.ServiceDefaults.Options;

/// <summary>Each failure names the configuration key (and its environment-variable form) to fix.</summary>
internal sealed class BusOptionsValidator : IValidateOptions<BusOptions>
{
    public ValidateOptionsResult Validate(string? name, BusOptions options)
    {
        var failures = new List<string>();
        if (options.Transport == BusTransport.RabbitMq)
        {
            if (string.IsNullOrWhiteSpace(options.Host)) failures.Add(Key("Host", "is required when Bus:Transport is RabbitMq"));
            if (options.Port is < 1 or > 65535) failures.Add(Key("Port", $"must be 1-65535, not {options.Port}"));
            if (string.IsNullOrWhiteSpace(options.VirtualHost)) failures.Add(Key("VirtualHost", "is required when Bus:Transport is RabbitMq"));
            if (string.IsNullOrWhiteSpace(options.Username)) failures.Add(Key("Username", "is required when Bus:Transport is RabbitMq"));
        }
        if (options.RetryLimit is < 0 or > 20) failures.Add(Key("RetryLimit", $"must be 0-20, not {options.RetryLimit}"));
        if (options.RetryIntervalMilliseconds < 0) failures.Add(Key("RetryIntervalMilliseconds", "must not be negative"));
        if (options.PrefetchCount is < 1 or > 1000) failures.Add(Key("PrefetchCount", $"must be 1-1000, not {options.PrefetchCount}"));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static string Key(string property, string problem) => ConfigurationKeys.Describe(BusOptions.Section, property, problem);
}

internal sealed class BlobOptionsValidator : IValidateOptions<BlobOptions>
{
    public ValidateOptionsResult Validate(string? name, BlobOptions options)
    {
        if (options.Provider == BlobProvider.Azure && string.IsNullOrWhiteSpace(options.ConnectionString))
            return ValidateOptionsResult.Fail(ConfigurationKeys.Describe(BlobOptions.Section, "ConnectionString", "is required when Blob:Provider is Azure"));
        if (options.Provider == BlobProvider.Local && string.IsNullOrWhiteSpace(options.LocalRoot))
            return ValidateOptionsResult.Fail(ConfigurationKeys.Describe(BlobOptions.Section, "LocalRoot", "is required when Blob:Provider is Local"));
        return ValidateOptionsResult.Success;
    }
}

internal sealed class SeqOptionsValidator : IValidateOptions<SeqOptions>
{
    public ValidateOptionsResult Validate(string? name, SeqOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.ServerUrl) && !Uri.TryCreate(options.ServerUrl, UriKind.Absolute, out _))
            return ValidateOptionsResult.Fail(ConfigurationKeys.Describe(SeqOptions.Section, "ServerUrl", $"'{options.ServerUrl}' is not an absolute URL"));
        return ValidateOptionsResult.Success;
    }
}

internal sealed class ServiceOptionsValidator : IValidateOptions<ServiceOptions>
{
    public ValidateOptionsResult Validate(string? name, ServiceOptions options)
    {
        if (options.HttpPort is < 0 or > 65535)
            return ValidateOptionsResult.Fail(ConfigurationKeys.Describe(ServiceOptions.Section, "HttpPort", $"must be 0-65535, not {options.HttpPort}"));
        return ValidateOptionsResult.Success;
    }
}
