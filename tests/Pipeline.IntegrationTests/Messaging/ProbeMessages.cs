using MassTransit;
using Pipeline.Contracts.Messages;

namespace Pipeline.IntegrationTests.Messaging;

/// <summary>Test-only message for the error-queue test (a real contract type would also reach other tests' queues).</summary>
public sealed record ProbeThatAlwaysFails
{
    public required Guid RunId { get; init; }
}

/// <summary>What a consumer saw, for the test to await.</summary>
public sealed class Received<T>
{
    private readonly TaskCompletionSource<T> _first = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public void Add(T message)
    {
        Interlocked.Increment(ref _count);
        _first.TrySetResult(message);
    }

    public Task<T> FirstAsync(TimeSpan timeout) => _first.Task.WaitAsync(timeout);
}

public sealed class CorpusLandedProbeConsumer(Received<CorpusLanded> received) : IConsumer<CorpusLanded>
{
    public Task Consume(ConsumeContext<CorpusLanded> context)
    {
        received.Add(context.Message);
        return Task.CompletedTask;
    }
}

public sealed class AlwaysFailingConsumer(Received<ProbeThatAlwaysFails> attempts) : IConsumer<ProbeThatAlwaysFails>
{
    public Task Consume(ConsumeContext<ProbeThatAlwaysFails> context)
    {
        attempts.Add(context.Message);
        throw new InvalidOperationException($"Probe {context.Message.RunId} always fails");
    }
}
