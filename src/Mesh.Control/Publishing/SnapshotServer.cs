using Akka.Actor;
using Mesh.Cluster.Protocol;
using Mesh.Control.Aggregation;
using Mesh.Policy.Model;
using Mesh.Policy.Snapshots;
using Microsoft.Extensions.Logging;

namespace Mesh.Control.Publishing;

/// <summary>
/// The latest-value topic per identity: keeps the newest snapshot of every identity and the proxies that watch it,
/// answers a watcher at once with the current snapshot (unless it holds that version already) and tells every watcher
/// of each new one. Pub/sub alone keeps no last value; a proxy that (re)connects must get the current snapshot, not
/// wait for the next change. Watchers are death-watched; an identity whose last watcher is gone is untracked and
/// its snapshot forgotten.
/// <para>
/// Supervision: restarted by the control plane actor on failure. A restarted server knows nothing: it asks the
/// aggregator (its sibling) to republish every tracked snapshot, and learns its watchers again from their periodic
/// <see cref="WatchSnapshots"/>.
/// </para>
/// </summary>
internal sealed class SnapshotServer : ReceiveActor
{
    public const string Name = "snapshot-server";

    private readonly Dictionary<ServiceAccountIdentity, EgressSnapshot> _latest = [];
    private readonly Dictionary<ServiceAccountIdentity, HashSet<IActorRef>> _watchers = [];
    private readonly Dictionary<IActorRef, HashSet<ServiceAccountIdentity>> _watching = [];
    private readonly ControlPlaneMetrics _metrics;
    private readonly ILogger _logger;
    private readonly ActorSelection _aggregator;

    public SnapshotServer(ControlPlaneMetrics metrics, ILoggerFactory loggerFactory)
    {
        _metrics = metrics;
        _logger = loggerFactory.CreateLogger("Mesh.Control.SnapshotServer");
        // By path, not by reference: the aggregator is created after this actor, and both outlive each other's restarts.
        _aggregator = Context.ActorSelection($"../{PolicyAggregator.Name}");
        Receive<WatchSnapshots>(Watch);
        Receive<UnwatchSnapshots>(m => Unwatch(m.Watcher, m.Identity));
        Receive<PublishSnapshot>(m => Publish(m.Snapshot));
        Receive<ResendWatchedIdentities>(_ =>
        {
            foreach (var identity in _watchers.Keys) Sender.Tell(new TrackIdentity(identity));
        });
        Receive<Terminated>(m =>
        {
            foreach (var identity in _watching.GetValueOrDefault(m.ActorRef)?.ToList() ?? []) Unwatch(m.ActorRef, identity);
        });
    }

    public static Props Props(ControlPlaneMetrics metrics, ILoggerFactory loggerFactory) =>
        Akka.Actor.Props.Create(() => new SnapshotServer(metrics, loggerFactory));

    protected override void PreStart() => _aggregator.Tell(RepublishAll.Instance);

    protected override void PostRestart(Exception reason)
    {
        _metrics.Restarted(Name);
        base.PostRestart(reason);
    }

    private void Watch(WatchSnapshots watch)
    {
        if (!_watchers.TryGetValue(watch.Identity, out var watchers))
        {
            _watchers[watch.Identity] = watchers = [];
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
        if (_latest.TryGetValue(watch.Identity, out var snapshot) && snapshot.Version != watch.HaveVersion)
        {
            watch.Watcher.Tell(new SnapshotPublished(snapshot));
        }
    }

    private void Unwatch(IActorRef watcher, ServiceAccountIdentity identity)
    {
        if (_watching.TryGetValue(watcher, out var identities) && identities.Remove(identity) && identities.Count == 0)
        {
            _watching.Remove(watcher);
            Context.Unwatch(watcher);
        }
        if (_watchers.TryGetValue(identity, out var watchers) && watchers.Remove(watcher) && watchers.Count == 0)
        {
            // Forget its snapshot too: nobody would hear of its changes (the aggregator stops compiling an identity no
            // policy names), so a later watcher must get a freshly compiled one, never this one grown stale.
            _watchers.Remove(identity);
            _latest.Remove(identity);
            _aggregator.Tell(new UntrackIdentity(identity));
        }
        _metrics.Watchers(_watching.Count);
    }

    private void Publish(EgressSnapshot snapshot)
    {
        if (_latest.TryGetValue(snapshot.Identity, out var current) && current.Version == snapshot.Version) return;
        _latest[snapshot.Identity] = snapshot;
        if (!_watchers.TryGetValue(snapshot.Identity, out var watchers)) return;
        var message = new SnapshotPublished(snapshot);
        foreach (var watcher in watchers) watcher.Tell(message);
        ControlLog.Delivered(_logger, snapshot.Identity, snapshot.Version, watchers.Count);
    }
}
