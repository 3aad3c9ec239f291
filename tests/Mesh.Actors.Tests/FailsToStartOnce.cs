namespace Mesh.Actors.Tests;

/// <summary>Its first incarnation throws in PreStart; later ones start and report it.</summary>
internal sealed class FailsToStartOnce(Incarnations attempts, IActorRef<ActorEvent> events) : Actor<int>
{
    protected override ValueTask PreStartAsync(CancellationToken cancellationToken)
    {
        var attempt = attempts.Next();
        if (attempt == 1)
            throw new InvalidOperationException("cannot start yet");
        events.Tell(new Started(Context.Self.Path, attempt));
        return ValueTask.CompletedTask;
    }

    protected override ValueTask HandleAsync(int message, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
