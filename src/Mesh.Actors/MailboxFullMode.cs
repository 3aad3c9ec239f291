namespace Mesh.Actors;

/// <summary>What happens when a message arrives at a full mailbox.</summary>
public enum MailboxFullMode
{
    /// <summary>The new message is refused and counted in <see cref="ActorRef{TMessage}.DroppedCount"/>; nobody waits.</summary>
    DropNewest,

    /// <summary><see cref="IActorRef{TMessage}.SendAsync"/> waits for space (back-pressure); <c>Tell</c> still never waits and drops.</summary>
    Wait,
}
