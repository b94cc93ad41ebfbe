using System.Text.Json;
using Pipeline.IntegrationTests.Infrastructure;

namespace Pipeline.IntegrationTests.Compose;

public sealed class ComposeFileTests
{
    private static readonly string[] PipelineServices = ["ingest", "dedup", "trainers", "sampler", "orchestrator"];
    private static readonly string[] Infrastructure = ["rabbitmq", "azurite", "seq"];

    [ComposeFact]
    public async Task Compose_file_defines_the_infrastructure_and_every_service()
    {
        var services = (await DockerCompose.ConfigAsync()).GetProperty("services");

        Assert.Equal(
            Infrastructure.Concat(PipelineServices).Order(StringComparer.Ordinal),
            services.EnumerateObject().Select(s => s.Name).Order(StringComparer.Ordinal));
        Assert.StartsWith("rabbitmq:3-management", services.GetProperty("rabbitmq").GetProperty("image").GetString());
        Assert.StartsWith("mcr.microsoft.com/azure-storage/azurite", services.GetProperty("azurite").GetProperty("image").GetString());
        Assert.Equal("azurite-blob", services.GetProperty("azurite").GetProperty("command")[0].GetString());
        Assert.StartsWith("datalust/seq", services.GetProperty("seq").GetProperty("image").GetString());
        Assert.Equal("Y", Environment(services.GetProperty("seq"))["ACCEPT_EULA"]);
    }

    [ComposeFact]
    public async Task Every_service_is_built_from_its_Dockerfile_and_wired_by_environment()
    {
        var services = (await DockerCompose.ConfigAsync()).GetProperty("services");

        foreach (var name in PipelineServices)
        {
            var service = services.GetProperty(name);
            var build = service.GetProperty("build");
            Assert.Equal(TestEnvironment.RepositoryRoot, build.GetProperty("context").GetString());
            var dockerfile = build.GetProperty("dockerfile").GetString()!;
            Assert.True(File.Exists(Path.Combine(TestEnvironment.RepositoryRoot, dockerfile)), $"{name}: {dockerfile} is missing");
            Assert.Equal($"src/{char.ToUpperInvariant(name[0])}{name[1..]}/Dockerfile", dockerfile);

            var environment = Environment(service);
            Assert.Equal("RabbitMq", environment["Bus__Transport"]);
            Assert.Equal("rabbitmq", environment["Bus__Host"]);
            Assert.Equal("Azure", environment["Blob__Provider"]);
            Assert.Contains("AccountName=devstoreaccount1", environment["Blob__ConnectionString"]);
            Assert.Contains("BlobEndpoint=http://azurite:10000/devstoreaccount1", environment["Blob__ConnectionString"]);
            Assert.Equal("http://seq:5341", environment["Seq__ServerUrl"]);
            Assert.Equal("8080", environment["Service__HttpPort"]);
        }
        // In distributed mode raw text that lands is ingested by itself; the shared settings above survive the extra key.
        Assert.Equal("true", Environment(services.GetProperty("ingest"))["Ingest__WatchLanding"]);
    }

    [ComposeFact]
    public async Task Services_have_healthchecks_and_wait_for_healthy_rabbitmq_and_azurite()
    {
        var services = (await DockerCompose.ConfigAsync()).GetProperty("services");

        foreach (var name in new[] { "rabbitmq", "azurite" }.Concat(PipelineServices))
        {
            var test = services.GetProperty(name).GetProperty("healthcheck").GetProperty("test");
            Assert.True(test.GetArrayLength() > 1, $"{name} has no healthcheck command");
        }
        foreach (var name in PipelineServices)
        {
            var service = services.GetProperty(name);
            var probe = string.Join(' ', service.GetProperty("healthcheck").GetProperty("test").EnumerateArray().Select(a => a.GetString()));
            Assert.Contains("/health/ready", probe);
            Assert.Contains("/dev/tcp/127.0.0.1/8080", probe);
            var dependsOn = service.GetProperty("depends_on");
            Assert.Equal("service_healthy", dependsOn.GetProperty("rabbitmq").GetProperty("condition").GetString());
            Assert.Equal("service_healthy", dependsOn.GetProperty("azurite").GetProperty("condition").GetString());
        }
    }

    [ComposeFact]
    public async Task RabbitMq_credentials_come_from_the_env_file_and_are_not_guest()
    {
        var dotEnv = File.ReadAllLines(Path.Combine(TestEnvironment.RepositoryRoot, ".env"))
            .Where(line => line.Contains('=') && !line.TrimStart().StartsWith('#'))
            .Select(line => line.Split('=', 2))
            .ToDictionary(pair => pair[0].Trim(), pair => pair[1].Trim());
        var services = (await DockerCompose.ConfigAsync()).GetProperty("services");

        var user = dotEnv["RABBITMQ_DEFAULT_USER"];
        var password = dotEnv["RABBITMQ_DEFAULT_PASS"];
        Assert.NotEqual("guest", user);
        Assert.NotEqual("guest", password);
        Assert.Equal(user, Environment(services.GetProperty("rabbitmq"))["RABBITMQ_DEFAULT_USER"]);
        Assert.Equal(password, Environment(services.GetProperty("rabbitmq"))["RABBITMQ_DEFAULT_PASS"]);
        foreach (var name in PipelineServices)
        {
            Assert.Equal(user, Environment(services.GetProperty(name))["Bus__Username"]);
            Assert.Equal(password, Environment(services.GetProperty(name))["Bus__Password"]);
        }

        // Another env file changes them everywhere: nothing is hard-coded in the compose file.
        using var directory = new TempDirectory();
        var other = Path.Combine(directory.Path, "other.env");
        await File.WriteAllTextAsync(other, "RABBITMQ_DEFAULT_USER=someone\nRABBITMQ_DEFAULT_PASS=s3cret-elsewhere\n");
        var overridden = (await DockerCompose.ConfigAsync(other)).GetProperty("services");
        Assert.Equal("someone", Environment(overridden.GetProperty("rabbitmq"))["RABBITMQ_DEFAULT_USER"]);
        Assert.Equal("s3cret-elsewhere", Environment(overridden.GetProperty("ingest"))["Bus__Password"]);
    }

    private static Dictionary<string, string> Environment(JsonElement service)
        => service.GetProperty("environment").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "");
}
