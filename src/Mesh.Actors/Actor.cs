namespace Mesh.Actors;

/// <summary>
/// Base of every actor: a class that owns its state and is driven by exactly one loop reading its mailbox,
/// so handlers never run concurrently and need no locks. A restart replaces the instance with a fresh one from
/// the factory; anything worth keeping across restarts must be rebuilt in <see cref="PreStartAsync"/>.
/// </summary>
public abstract class Actor<TMessage>
{
    private ActorContext<TMessage>? _context;

    /// <summary>Self, logger, children. Available from <see cref="PreStartAsync"/> on (not in the constructor).</summary>
    protected ActorContext<TMessage> Context =>
        _context ?? throw new InvalidOperationException("The actor context is available from PreStartAsync on, not in the constructor.");

    /// <summary>Handles one message. Throwing makes the supervisor restart this actor; the message is not retried.</summary>
    protected abstract ValueTask HandleAsync(TMessage message, CancellationToken cancellationToken);

    /// <summary>Runs on the actor's loop before its first message, after every restart too: build state, spawn children.</summary>
    protected virtual ValueTask PreStartAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>Runs once after this instance stops or is replaced (children are already stopped), if its PreStart succeeded.</summary>
    protected virtual ValueTask PostStopAsync() => ValueTask.CompletedTask;

    /// <summary>A child exhausted its restarts. Runs on this actor's loop, between messages.</summary>
    protected virtual EscalationDirective OnChildEscalated(string childPath, Exception cause) => EscalationDirective.Escalate;

    internal void Attach(ActorContext<TMessage> context) => _context = context;

    // The cell calls the hooks through these, so the hooks can stay plain 'protected' and be overridden the same
    // way from every assembly (a 'protected internal' hook would need a different modifier where internals are visible).
    internal ValueTask RunHandleAsync(TMessage message, CancellationToken cancellationToken) => HandleAsync(message, cancellationToken);

    internal ValueTask RunPreStartAsync(CancellationToken cancellationToken) => PreStartAsync(cancellationToken);

    internal ValueTask RunPostStopAsync() => PostStopAsync();

    internal EscalationDirective RunOnChildEscalated(string childPath, Exception cause) => OnChildEscalated(childPath, cause);
}
