using Akka.Actor;
using Akka.Configuration;
using Akka.Dispatch;
using Akka.Dispatch.MessageQueues;

namespace Mesh.Proxy.Connections;

/// <summary>
/// The mailbox of a connection actor: unbounded, FIFO, and small while empty. Akka's default mailbox queue is a
/// <see cref="System.Collections.Concurrent.ConcurrentQueue{T}"/>, whose first segment (32 slots) is allocated with the
/// queue: measured here, an idle actor on it retains 1,720 bytes, on this queue 760. A proxy holds one actor per open
/// connection, most of them idle, and a connection actor receives a handful of messages in its life (its connection,
/// new snapshots, idle checks, the end of its flow), so a lock around a queue made on the first message costs nothing
/// measurable and saves about 0.9 KiB per idle connection (the data-plane benchmark's idle cases, docs/benchmarks.md).
/// </summary>
internal sealed class ConnectionMailbox(Settings settings, Config config) : MailboxType(settings, config), IProducesMessageQueue<ConnectionMessageQueue>
{
    /// <summary>Where the mailbox is configured; <see cref="Install"/> puts it there.</summary>
    public const string ConfigPath = "mesh-connection-mailbox";

    public override IMessageQueue Create(IActorRef? owner, ActorSystem? system) => new ConnectionMessageQueue();

    /// <summary>
    /// Makes the mailbox known to <paramref name="system"/> (as Akka's own extensions add their defaults), so any system
    /// that hosts a proxy node can make connection actors: the node's, and a test's or benchmark's.
    /// </summary>
    public static void Install(ActorSystem system)
    {
        ArgumentNullException.ThrowIfNull(system);
        if (system.Settings.Config.HasPath(ConfigPath)) return;
        system.Settings.InjectTopLevelFallback(ConfigurationFactory.ParseString(
            $"{ConfigPath}.mailbox-type = \"{typeof(ConnectionMailbox).FullName}, {typeof(ConnectionMailbox).Assembly.GetName().Name}\""));
    }
}

/// <summary>The queue of <see cref="ConnectionMailbox"/>: a lock and a queue made on the first message.</summary>
internal sealed class ConnectionMessageQueue : IMessageQueue, IUnboundedMessageQueueSemantics
{
    private readonly Lock _lock = new();
    private Queue<Envelope>? _queue;

    public bool HasMessages
    {
        get
        {
            lock (_lock) return _queue is { Count: > 0 };
        }
    }

    public int Count
    {
        get
        {
            lock (_lock) return _queue?.Count ?? 0;
        }
    }

    public void Enqueue(IActorRef receiver, Envelope envelope)
    {
        lock (_lock) (_queue ??= new Queue<Envelope>(2)).Enqueue(envelope);
    }

    public bool TryDequeue(out Envelope envelope)
    {
        lock (_lock)
        {
            if (_queue is not null) return _queue.TryDequeue(out envelope);
        }
        envelope = default;
        return false;
    }

    public void CleanUp(IActorRef owner, IMessageQueue deadletters)
    {
        while (TryDequeue(out var envelope)) deadletters.Enqueue(owner, envelope);
    }
}
