using Microsoft.Extensions.Logging;

namespace Mesh.Actors;

/// <summary>What an actor instance may use of its surroundings. Shared by every incarnation of the same actor.</summary>
public sealed class ActorContext<TMessage>
{
    private readonly ActorCell<TMessage> _cell;

    internal ActorContext(ActorCell<TMessage> cell, ILogger logger)
    {
        _cell = cell;
        Logger = logger;
    }

    /// <summary>This actor's own address; the mailbox it reads from survives restarts.</summary>
    public ActorRef<TMessage> Self => _cell.Self;

    public ILogger Logger { get; }

    /// <summary>Starts a child supervised by this actor. Children are stopped before this actor stops or restarts.</summary>
    public ActorRef<TChild> Spawn<TChild>(string name, Func<Actor<TChild>> factory, ActorOptions? options = null) =>
        _cell.SpawnChild(name, factory, options);

    /// <summary>Begins an orderly stop of this actor. Does not wait: the caller is the loop that has to finish the work.</summary>
    public void Stop(StopMode mode = StopMode.Drain) => _ = _cell.StopAsync(mode);
}
