namespace Mesh.Actors.Tests;

/// <summary>A small actor with state (a count) that tests drive through <see cref="WorkerMessage"/>s.</summary>
internal sealed class Worker(IActorRef<ActorEvent> events, Incarnations incarnations) : Actor<WorkerMessage>
{
    private int _count;

    protected override ValueTask PreStartAsync(CancellationToken cancellationToken)
    {
        _count = 0;
        events.Tell(new Started(Context.Self.Path, incarnations.Next()));
        return ValueTask.CompletedTask;
    }

    protected override async ValueTask HandleAsync(WorkerMessage message, CancellationToken cancellationToken)
    {
        switch (message)
        {
            case Work work:
                _count++;
                events.Tell(new Handled(Context.Self.Path, work.Id, _count));
                break;
            case Crash crash:
                events.Tell(new Crashing(Context.Self.Path));
                throw new InvalidOperationException(crash.Reason);
            case WaitFor wait:
                events.Tell(new Waiting(Context.Self.Path));
                await wait.Gate.WaitAsync(cancellationToken);
                break;
            case GetCount get:
                get.Reply.SetResult(_count);
                break;
        }
    }

    protected override ValueTask PostStopAsync()
    {
        events.Tell(new PostStopped(Context.Self.Path));
        return ValueTask.CompletedTask;
    }
}

/// <summary>Numbers the instances a factory creates, so restarts are visible as incarnation 2, 3, ...</summary>
internal sealed class Incarnations
{
    private int _count;

    public int Next() => Interlocked.Increment(ref _count);
}
