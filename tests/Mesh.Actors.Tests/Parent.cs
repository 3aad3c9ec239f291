namespace Mesh.Actors.Tests;

/// <summary>Spawns Workers on request and answers child escalations with a fixed directive.</summary>
internal sealed class Parent(IActorRef<ActorEvent> events, Incarnations incarnations, EscalationDirective directive) : Actor<ParentMessage>
{
    private readonly Incarnations _childIncarnations = new();

    protected override ValueTask PreStartAsync(CancellationToken cancellationToken)
    {
        events.Tell(new Started(Context.Self.Path, incarnations.Next()));
        return ValueTask.CompletedTask;
    }

    protected override ValueTask HandleAsync(ParentMessage message, CancellationToken cancellationToken)
    {
        switch (message)
        {
            case SpawnWorker spawn:
                spawn.Reply.SetResult(Context.Spawn(spawn.Name, () => new Worker(events, _childIncarnations), spawn.Options));
                break;
            case Ping ping:
                ping.Reply.SetResult("pong");
                break;
        }

        return ValueTask.CompletedTask;
    }

    protected override EscalationDirective OnChildEscalated(string childPath, Exception cause)
    {
        events.Tell(new ChildEscalated(Context.Self.Path, childPath));
        return directive;
    }

    protected override ValueTask PostStopAsync()
    {
        events.Tell(new PostStopped(Context.Self.Path));
        return ValueTask.CompletedTask;
    }
}
