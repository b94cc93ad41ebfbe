namespace Pipeline.IntegrationTests.Infrastructure;

/// <summary>
/// Connection settings of the real servers, from environment variables that ./test.sh exports
/// (scripts/test-infra/env.sh). A missing variable fails the test with instructions instead of
/// silently skipping it: these tests exist to hit real servers.
/// </summary>
public static class TestEnvironment
{
    public const string RabbitMqHost = "PIPELINE_TEST_RABBITMQ_HOST";
    public const string RabbitMqPort = "PIPELINE_TEST_RABBITMQ_PORT";
    public const string RabbitMqManagementUrl = "PIPELINE_TEST_RABBITMQ_MANAGEMENT_URL";
    public const string RabbitMqUsername = "PIPELINE_TEST_RABBITMQ_USERNAME";
    public const string RabbitMqPassword = "PIPELINE_TEST_RABBITMQ_PASSWORD";
    public const string AzuriteConnectionString = "PIPELINE_TEST_AZURITE_CONNECTION_STRING";
    public const string DockerCompose = "PIPELINE_TEST_DOCKER_COMPOSE";

    public static string Required(string name)
    {
        var value = Environment.GetEnvironmentVariable(name);
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new InvalidOperationException(
                $"{name} is not set. Run the tests with ./test.sh, or start the servers with scripts/test-infra/start-rabbitmq.sh " +
                "and scripts/test-infra/start-azurite.sh and then `. scripts/test-infra/env.sh` before `dotnet test`.");
        }
        return value;
    }

    public static string Optional(string name, string fallback)
        => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : fallback;

    /// <summary>The folder holding Pipeline.sln, found upwards from the test assembly.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Pipeline.sln"))) return directory.FullName;
        }
        throw new InvalidOperationException($"No Pipeline.sln above {AppContext.BaseDirectory}.");
    }
}
