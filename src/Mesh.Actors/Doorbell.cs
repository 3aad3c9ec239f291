namespace Mesh.Actors;

/// <summary>
/// Wakes an actor's loop for something that is not a mailbox message (a stop, a child's escalation) without
/// putting such signals into the typed mailbox. Any thread rings; only the loop resets, and it resets before it
/// looks at the state the ringer published, so no ring is lost.
/// </summary>
internal sealed class Doorbell
{
    private TaskCompletionSource _bell = NewBell();

    public Task Rung => Volatile.Read(ref _bell).Task;

    public void Ring() => Volatile.Read(ref _bell).TrySetResult();

    public void Reset()
    {
        var current = Volatile.Read(ref _bell);
        if (current.Task.IsCompleted)
            Interlocked.CompareExchange(ref _bell, NewBell(), current);
    }

    // Asynchronous continuations so a ringer never runs the actor's loop on its own stack.
    private static TaskCompletionSource NewBell() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
