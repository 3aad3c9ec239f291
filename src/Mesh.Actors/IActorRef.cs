namespace Mesh.Actors;

/// <summary>
/// Where messages of type <typeparamref name="TMessage"/> can be sent. Collaborators take this interface
/// rather than <see cref="ActorRef{TMessage}"/> so a test can pass a probe in place of a real actor.
/// </summary>
public interface IActorRef<in TMessage>
{
    /// <summary>Human-readable address such as <c>mesh/control/identity-42</c>; for logs only.</summary>
    string Path { get; }

    /// <summary>Enqueues without ever blocking; false when the message was not accepted (full or stopped).</summary>
    bool Tell(TMessage message);

    /// <summary>Enqueues, waiting for space if the target's mailbox asks senders to wait; false when stopped or dropped.</summary>
    ValueTask<bool> SendAsync(TMessage message, CancellationToken cancellationToken = default);
}
