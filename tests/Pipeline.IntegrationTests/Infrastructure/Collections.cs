namespace Pipeline.IntegrationTests.Infrastructure;

/// <summary>
/// Tests that build hosts run one at a time: they share the broker vhost and Serilog's static
/// logger (AddSerilog sets Log.Logger), which parallel hosts in one process would trade around.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HostsCollection : ICollectionFixture<RabbitMqFixture>
{
    public const string Name = "Hosts";
}
