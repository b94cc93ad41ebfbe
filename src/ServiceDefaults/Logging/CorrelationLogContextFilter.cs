using MassTransit;
using Pipeline.Contracts.Messages;
using SerilogLogContext = Serilog.Context.LogContext;

namespace Pipeline.ServiceDefaults.Logging;

/// <summary>
/// Pushes RunId, IterationId and MessageType into Serilog's log context for the whole handling of a
/// message, so every event a consumer logs can be found in Seq by run or iteration.
/// </summary>
public sealed class CorrelationLogContextFilter<T> : IFilter<ConsumeContext<T>> where T : class
{
    public async Task Send(ConsumeContext<T> context, IPipe<ConsumeContext<T>> next)
    {
        using var messageType = SerilogLogContext.PushProperty("MessageType", typeof(T).Name);
        if (context.Message is PipelineMessage message)
        {
            using var run = SerilogLogContext.PushProperty("RunId", message.RunId);
            using var iteration = SerilogLogContext.PushProperty("IterationId", message.IterationId);
            await next.Send(context);
        }
        else
        {
            await next.Send(context);
        }
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("correlationLogContext");
}
