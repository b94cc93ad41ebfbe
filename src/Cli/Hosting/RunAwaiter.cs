using MassTransit;
using Pipeline.Contracts.Messages;

namespace Pipeline.Cli.Hosting;

/// <summary>
/// Starts a stage (publishes a command, or writes a blob a watcher reacts to) and waits for the event
/// that ends it, or for the first fault any consumer reports after its retries — so a CLI run never
/// hangs on a failed stage.
/// </summary>
internal sealed class RunAwaiter(IBus bus)
{
    /// <param name="alsoHandle">Further handlers on the same temporary endpoint while waiting (progress events, say).</param>
    public Task<TEvent> PublishAndWaitAsync<TCommand, TEvent>(TCommand command, TimeSpan timeout, CancellationToken cancellationToken, Action<IReceiveEndpointConfigurator>? alsoHandle = null)
        where TCommand : PipelineMessage
        where TEvent : PipelineMessage
        => WaitForAsync<TEvent>(e => e.RunId == command.RunId, () => bus.Publish(command, cancellationToken), timeout, cancellationToken, alsoHandle);

    public async Task<TEvent> WaitForAsync<TEvent>(Func<TEvent, bool> match, Func<Task> trigger, TimeSpan timeout, CancellationToken cancellationToken, Action<IReceiveEndpointConfigurator>? alsoHandle = null)
        where TEvent : class
    {
        var done = new TaskCompletionSource<TEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        var handle = bus.ConnectReceiveEndpoint(new TemporaryEndpointDefinition(), KebabCaseEndpointNameFormatter.Instance, endpoint =>
        {
            endpoint.Handler<TEvent>(context =>
            {
                if (match(context.Message)) done.TrySetResult(context.Message);
                return Task.CompletedTask;
            });
            endpoint.Handler<Fault>(context =>
            {
                var first = context.Message.Exceptions.FirstOrDefault();
                var stage = context.Message.FaultMessageTypes.FirstOrDefault() ?? "unknown";
                done.TrySetException(new PipelineStageFailedException(stage, first?.Message ?? "no exception details"));
                return Task.CompletedTask;
            });
            alsoHandle?.Invoke(endpoint);
        });
        await handle.Ready.WaitAsync(cancellationToken);
        try
        {
            await trigger();
            return await done.Task.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{typeof(TEvent).Name} did not arrive within {timeout}.");
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
