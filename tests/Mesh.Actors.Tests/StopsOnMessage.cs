namespace Mesh.Actors.Tests;

/// <summary>Stops itself on its first message, the way an actor ends its own work.</summary>
internal sealed class StopsOnMessage(IActorRef<ActorEvent> events) : Actor<int>
{
    protected override ValueTask HandleAsync(int message, CancellationToken cancellationToken)
    {
        Context.Stop();
        return ValueTask.CompletedTask;
    }

    protected override ValueTask PostStopAsync()
    {
        events.Tell(new PostStopped(Context.Self.Path));
        return ValueTask.CompletedTask;
    }
}
