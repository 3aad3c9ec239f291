using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Tools.PublishSubscribe;
using Mesh.Cluster.Protocol;
using Mesh.Cluster.Serialization;
using Mesh.Control.Aggregation;
using Mesh.Policy.Model;
using Mesh.Policy.Snapshots;
using Microsoft.Extensions.Logging;

namespace Mesh.Control.Publishing;

/// <summary>
/// The latest-value topic per identity: keeps the newest snapshot of every watched identity and the proxies that
/// watch it, answers a watcher at once with the current snapshot (or, if it holds that version, with
/// <see cref="SnapshotCurrent"/>) and sends every newer one to every watcher. Pub/sub alone keeps no last value: a
/// proxy that (re)connects must get the current snapshot, not wait for the next change.
/// <para>
/// On a controller cluster (<c>mediator</c> given), snapshots travel on DistributedPubSub, a topic per identity
/// (<c>egress/NS/SA</c>): the local aggregator's snapshot is published there, and the server of every controller
/// subscribed to the topic (because proxies watch the identity there) takes it. So each watcher hears from every
/// controller it watches, and a controller that lags or misses a change still passes on the newest. A snapshot is
/// taken only if its <see cref="SnapshotOrder"/> supersedes the one held: a lagging replica's older snapshot never
/// replaces a newer one, whichever arrives last.
/// </para>
/// <para>
/// One copy per change: every server knows every watcher (a proxy's watch goes to all of them), but a server pushes a
/// watcher's changes only if the watcher prefers it (<see cref="WatchSnapshots.Preferred"/>), prefers none, or prefers a
/// controller that is not up and reachable, or that came up after the watcher's last watch (it learns its watchers from
/// their next watches): <see cref="PushRule"/>. A controller the cluster marks unreachable or removes is taken over at
/// once: its watchers get the latest snapshot of their identities from the others. Measured with 100 proxies
/// (bench/cluster), the second copy was half of what a change cost the controllers and the proxies.
/// </para>
/// <para>
/// Watchers are death-watched; an identity whose last watcher is gone is unsubscribed, untracked and its snapshot
/// forgotten. Supervision: restarted by the control plane actor on failure; a restarted server knows nothing, asks
/// the aggregator to republish, and learns its watchers again from their periodic <see cref="WatchSnapshots"/>.
/// </para>
/// </summary>
internal sealed class SnapshotServer : ReceiveActor
{
    public const string Name = "snapshot-server";

    /// <summary>The role every controller has (<c>akka.cluster.roles</c>).</summary>
    internal const string ControllerRole = "controller";

    private readonly Dictionary<ServiceAccountIdentity, Latest> _latest = [];
    private readonly Dictionary<ServiceAccountIdentity, HashSet<IActorRef>> _watchers = [];
    private readonly Dictionary<IActorRef, HashSet<ServiceAccountIdentity>> _watching = [];
    private readonly ControlPlaneMetrics _metrics;
    private readonly ILogger _logger;
    private readonly ActorSelection _aggregator;
    private readonly IActorRef? _mediator;
    private readonly long _maxRemoteBytes;
    private readonly string _incarnation = Guid.NewGuid().ToString("N")[..12];

    /// <summary>Each watcher's last watch: the controller it wants pushes from (null: any), and when.</summary>
    private readonly Dictionary<IActorRef, (Address? Preferred, DateTimeOffset WatchedAt)> _lastWatch = [];

    /// <summary>Up and reachable controllers, and since when this server has known them so (its start, for those up then).</summary>
    private readonly Dictionary<Address, DateTimeOffset> _serving = [];

    private readonly Akka.Cluster.Cluster? _cluster;

    /// <param name="mediator">The cluster's DistributedPubSub mediator; null when the control plane runs alone (mesh run).</param>
    /// <param name="maxRemoteBytes">The largest snapshot that fits one remote message (the frame size, less the envelope).</param>
    public SnapshotServer(ControlPlaneMetrics metrics, ILoggerFactory loggerFactory, IActorRef? mediator, long maxRemoteBytes, string aggregatorPath)
    {
        _metrics = metrics;
        _logger = loggerFactory.CreateLogger("Mesh.Control.SnapshotServer");
        _mediator = mediator;
        _maxRemoteBytes = maxRemoteBytes;
        // By path, not by reference: the aggregator is created after this actor, and both outlive each other's restarts.
        _aggregator = Context.ActorSelection(aggregatorPath);
        if (mediator is not null) _cluster = Akka.Cluster.Cluster.Get(Context.System);
        Receive<WatchSnapshots>(Watch);
        Receive<ClusterEvent.CurrentClusterState>(state =>
        {
            _serving.Clear();
            foreach (var member in state.Members)
            {
                if (IsServing(member) && !state.Unreachable.Contains(member)) _serving[member.Address] = DateTimeOffset.UtcNow;
            }
        });
        Receive<ClusterEvent.MemberUp>(m => Serving(m.Member, IsServing(m.Member)));
        Receive<ClusterEvent.ReachableMember>(m => Serving(m.Member, IsServing(m.Member)));
        Receive<ClusterEvent.UnreachableMember>(m => Serving(m.Member, false));
        Receive<ClusterEvent.MemberRemoved>(m => Serving(m.Member, false));
        Receive<ClusterEvent.IMemberEvent>(_ => { });
        Receive<UnwatchSnapshots>(m => Unwatch(m.Watcher, m.Identity));
        Receive<PublishSnapshot>(m =>
        {
            if (_mediator is null) Take(m.Snapshot, m.Order);
            else _mediator.Tell(new Publish(TopicOf(m.Snapshot.Identity), new SnapshotPublished(m.Snapshot, m.Order)));
        });
        Receive<SnapshotPublished>(m => Take(m.Snapshot, m.Order)); // from the identity's topic: any controller's
        Receive<SubscribeAck>(_ => { });
        Receive<UnsubscribeAck>(_ => { });
        Receive<ResendWatchedIdentities>(_ =>
        {
            foreach (var identity in _watchers.Keys) Sender.Tell(new TrackIdentity(identity));
        });
        Receive<Terminated>(m =>
        {
            foreach (var identity in _watching.GetValueOrDefault(m.ActorRef)?.ToList() ?? []) Unwatch(m.ActorRef, identity);
        });
    }

    public static Props Props(ControlPlaneMetrics metrics, ILoggerFactory loggerFactory, IActorRef? mediator = null,
        long maxRemoteBytes = long.MaxValue, string aggregatorPath = $"../{PolicyAggregator.Name}") =>
        Akka.Actor.Props.Create(() => new SnapshotServer(metrics, loggerFactory, mediator, maxRemoteBytes, aggregatorPath));

    /// <summary>The DistributedPubSub topic of an identity's snapshots.</summary>
    public static string TopicOf(ServiceAccountIdentity identity) => $"egress/{identity.Namespace}/{identity.Name}";

    protected override void PreStart()
    {
        _cluster?.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsSnapshot,
            typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.IReachabilityEvent));
        _aggregator.Tell(RepublishAll.Instance);
    }

    protected override void PostStop() => _cluster?.Unsubscribe(Self);

    protected override void PostRestart(Exception reason)
    {
        _metrics.Restarted(Name);
        base.PostRestart(reason);
    }

    private static bool IsServing(Member member) => member.Status == MemberStatus.Up && member.HasRole(ControllerRole);

    private void Serving(Member member, bool serving)
    {
        if (!member.HasRole(ControllerRole)) return;
        if (serving)
        {
            _serving.TryAdd(member.Address, DateTimeOffset.UtcNow);
            return;
        }
        if (!_serving.Remove(member.Address)) return;
        // Take over its watchers now: a change it would have pushed them may be on its way nowhere.
        var taken = 0;
        foreach (var (watcher, (preferred, _)) in _lastWatch)
        {
            if (!member.Address.Equals(preferred)) continue;
            foreach (var identity in _watching.GetValueOrDefault(watcher) ?? [])
            {
                if (_latest.TryGetValue(identity, out var latest)) Send(watcher, latest, whole: true);
            }
            taken++;
        }
        ControlLog.TookOver(_logger, member.Address, taken);
    }

    /// <summary>Whether this server pushes the watcher's changes (see the class summary).</summary>
    private bool Pushes(IActorRef watcher)
    {
        if (_cluster is null || !_lastWatch.TryGetValue(watcher, out var watched)) return true;
        return PushRule.Pushes(_cluster.SelfAddress, watched.Preferred, watched.WatchedAt, _serving);
    }

    private void Watch(WatchSnapshots watch)
    {
        _lastWatch[watch.Watcher] = (watch.Preferred, DateTimeOffset.UtcNow);
        if (!_watchers.TryGetValue(watch.Identity, out var watchers))
        {
            _watchers[watch.Identity] = watchers = [];
            _mediator?.Tell(new Subscribe(TopicOf(watch.Identity), Self));
            _aggregator.Tell(new TrackIdentity(watch.Identity));
        }
        if (watchers.Add(watch.Watcher))
        {
            if (!_watching.TryGetValue(watch.Watcher, out var identities))
            {
                _watching[watch.Watcher] = identities = [];
                Context.Watch(watch.Watcher);
            }
            identities.Add(watch.Identity);
            _metrics.Watchers(_watching.Count);
        }
        if (!_latest.TryGetValue(watch.Identity, out var latest)) return; // its first snapshot is on its way
        if (latest.Snapshot.Version == watch.HaveVersion)
        {
            watch.Watcher.Tell(new SnapshotCurrent(watch.Identity, latest.Snapshot.Version, latest.Sequence, _incarnation));
        }
        else
        {
            Send(watch.Watcher, latest, whole: true); // it may hold anything: not a change against our last
        }
    }

    private void Unwatch(IActorRef watcher, ServiceAccountIdentity identity)
    {
        if (_watching.TryGetValue(watcher, out var identities) && identities.Remove(identity) && identities.Count == 0)
        {
            _watching.Remove(watcher);
            _lastWatch.Remove(watcher);
            Context.Unwatch(watcher);
        }
        if (_watchers.TryGetValue(identity, out var watchers) && watchers.Remove(watcher) && watchers.Count == 0)
        {
            // Forget its snapshot too: nobody would hear of its changes (the aggregator stops compiling an identity no
            // policy names), so a later watcher must get a freshly compiled one, never this one grown stale.
            _watchers.Remove(identity);
            _latest.Remove(identity);
            _mediator?.Tell(new Unsubscribe(TopicOf(identity), Self));
            _aggregator.Tell(new UntrackIdentity(identity));
        }
        _metrics.Watchers(_watching.Count);
    }

    /// <summary>Takes a snapshot if it is newer than the one held, and sends it to every watcher of its identity.</summary>
    private void Take(EgressSnapshot snapshot, SnapshotOrder order)
    {
        var identity = snapshot.Identity;
        if (_latest.TryGetValue(identity, out var held))
        {
            if (held.Snapshot.Version == snapshot.Version)
            {
                if (order.Supersedes(held.Order)) _latest[identity] = held with { Order = order }; // same content, known newer
                return;
            }
            if (!order.Supersedes(held.Order))
            {
                // Older (a lagging replica) or not comparable (replicas lagging on different sources): keep the one held.
                _metrics.SnapshotIgnored();
                ControlLog.SnapshotIgnored(_logger, identity, snapshot.Version, order, held.Snapshot.Version, held.Order);
                return;
            }
        }
        else if (!_watchers.ContainsKey(identity) && _mediator is not null)
        {
            return; // a topic message for an identity nobody watches here any more
        }
        var latest = new Latest(snapshot, order, (held?.Sequence ?? 0) + 1, held?.Snapshot);
        _latest[identity] = latest;
        if (!_watchers.TryGetValue(identity, out var watchers)) return;
        var pushed = 0;
        foreach (var watcher in watchers)
        {
            if (!Pushes(watcher)) continue; // another controller pushes it
            Send(watcher, latest, whole: false);
            pushed++;
        }
        _metrics.Pushed(pushed);
        ControlLog.Delivered(_logger, identity, snapshot.Version, pushed, watchers.Count);
    }

    /// <param name="whole">The whole snapshot, not the change since the one pushed before (which a watcher pushed by
    /// this server holds, unless it missed it: then it asks for the whole one).</param>
    private void Send(IActorRef watcher, Latest latest, bool whole)
    {
        // Local watchers get the object itself; only a remote one is limited by the frame size (checked on the whole
        // snapshot, which a watcher that lacks the base gets next).
        if (watcher.Path.Address.HasGlobalScope)
        {
            var bytes = SnapshotWire.Encode(latest.Snapshot).LongLength;
            if (bytes > _maxRemoteBytes)
            {
                _metrics.SnapshotTooLarge();
                ControlLog.SnapshotTooLarge(_logger, latest.Snapshot.Identity, latest.Snapshot.Version, bytes, _maxRemoteBytes);
                watcher.Tell(new SnapshotTooLarge(latest.Snapshot.Identity, latest.Snapshot.Version, bytes, _maxRemoteBytes));
                return;
            }
        }
        watcher.Tell(whole ? latest.Whole(_incarnation) : latest.Change(_incarnation));
    }

    /// <summary>
    /// The snapshot held for an identity, the one held before it (<paramref name="Previous"/>), and the messages that carry
    /// it to every watcher.
    /// </summary>
    private sealed record Latest(EgressSnapshot Snapshot, SnapshotOrder Order, long Sequence, EgressSnapshot? Previous)
    {
        private SnapshotPublished? _whole;
        private SnapshotPublished? _change;

        /// <summary>A copy (<c>with</c>) makes its own messages: they carry its order.</summary>
        private Latest(Latest original)
        {
            Snapshot = original.Snapshot;
            Order = original.Order;
            Sequence = original.Sequence;
            Previous = original.Previous;
        }

        /// <summary>
        /// One instance for every watcher: the wire serializer keeps the bytes of a message instance, so a change that
        /// goes to 100 proxies is serialized once, not 100 times (each time a 20 KB buffer grown and copied: 15% of a
        /// controller's CPU per change in the profile of bench/cluster's 100 proxies).
        /// </summary>
        public SnapshotPublished Whole(string server) => _whole ??= new SnapshotPublished(Snapshot, Order, Sequence, server);

        /// <summary>The change since <see cref="Previous"/>: on the wire, only the rules it changed (one instance too).</summary>
        public SnapshotPublished Change(string server) =>
            Previous is null ? Whole(server) : _change ??= new SnapshotPublished(Snapshot, Order, Sequence, server, Previous);
    }
}
