using MassTransit;

namespace Pipeline.ServiceDefaults.Messaging;

/// <summary>
/// A component's consumers, collected by <c>AddPipelineConsumers</c> and applied once by
/// <c>AddPipelineBus</c> (MassTransit is configured exactly once per process, whether the process hosts
/// one service or, like the CLI, all of them).
/// </summary>
public sealed record ConsumerRegistration(string Component, Action<IBusRegistrationConfigurator> Register);
