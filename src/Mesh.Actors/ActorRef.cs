namespace Mesh.Actors;

/// <summary>The address of a running actor: its mailbox plus its lifecycle. Cheap to share; valid across restarts.</summary>
public sealed class ActorRef<TMessage> : IActorRef<TMessage>
{
    private readonly Mailbox<TMessage> _mailbox;
    private readonly ActorCell<TMessage> _cell;

    internal ActorRef(ActorCell<TMessage> cell, Mailbox<TMessage> mailbox)
    {
        _cell = cell;
        _mailbox = mailbox;
    }

    public string Path => _cell.Path;

    /// <summary>Messages waiting in the mailbox (for metrics).</summary>
    public int QueuedCount => _mailbox.Count;

    /// <summary>Messages refused because the mailbox was full or closed, plus those discarded by a cancelling stop.</summary>
    public long DroppedCount => _mailbox.Dropped;

    /// <summary>How many times the actor has been restarted after a failure.</summary>
    public int RestartCount => _cell.RestartCount;

    /// <summary>Completes (never faults) once the actor, its children and its PostStop are done.</summary>
    public Task Stopped => _cell.Stopped;

    public bool Tell(TMessage message) => _mailbox.TryPost(message);

    public ValueTask<bool> SendAsync(TMessage message, CancellationToken cancellationToken = default) =>
        _mailbox.PostAsync(message, cancellationToken);

    /// <summary>Orderly stop; idempotent. Do not await it from the actor's own handler (use <c>Context.Stop</c>).</summary>
    public Task StopAsync(StopMode mode = StopMode.Drain) => _cell.StopAsync(mode);

    public override string ToString() => Path;
}
