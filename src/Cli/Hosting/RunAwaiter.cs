using MassTransit;
using Pipeline.Contracts.Messages;

namespace Pipeline.Cli.Hosting;

/// <summary>
/// Publishes a command and waits for the event that ends it (matched by run id), or for the first
/// fault any consumer reports after its retries — so a CLI run never hangs on a failed stage.
/// </summary>
internal sealed class RunAwaiter(IBus bus)
{
    public async Task<TEvent> PublishAndWaitAsync<TCommand, TEvent>(TCommand command, TimeSpan timeout, CancellationToken cancellationToken)
        where TCommand : PipelineMessage
        where TEvent : PipelineMessage
    {
        var done = new TaskCompletionSource<TEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        var handle = bus.ConnectReceiveEndpoint(new TemporaryEndpointDefinition(), KebabCaseEndpointNameFormatter.Instance, endpoint =>
        {
            endpoint.Handler<TEvent>(context =>
            {
                if (context.Message.RunId == command.RunId) done.TrySetResult(context.Message);
                return Task.CompletedTask;
            });
            endpoint.Handler<Fault>(context =>
            {
                var first = context.Message.Exceptions.FirstOrDefault();
                var stage = context.Message.FaultMessageTypes.FirstOrDefault() ?? "unknown";
                done.TrySetException(new PipelineStageFailedException(stage, first?.Message ?? "no exception details"));
                return Task.CompletedTask;
            });
        });
        await handle.Ready.WaitAsync(cancellationToken);
        try
        {
            await bus.Publish(command, cancellationToken);
            return await done.Task.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{typeof(TEvent).Name} did not arrive within {timeout} after {typeof(TCommand).Name}.");
        }
        finally
        {
            await handle.StopAsync(CancellationToken.None);
        }
    }
}

internal sealed class PipelineStageFailedException(string messageType, string reason)
    : Exception($"{MessageName(messageType)} failed: {reason}")
{
    private static string MessageName(string urn) => urn.Split(':').LastOrDefault() ?? urn;
}
