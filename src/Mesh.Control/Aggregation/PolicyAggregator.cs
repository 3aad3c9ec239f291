using Mesh.Actors;
using Mesh.Control.Manifests;
using Mesh.Policy.Model;
using Mesh.Policy.Snapshots;
using Mesh.Policy.State;

namespace Mesh.Control.Aggregation;

/// <summary>
/// Owns the <see cref="PolicyIndex"/>: applies the changes its sources report and publishes every snapshot that changed
/// on the identity's topic of the snapshot hub. Bursts are coalesced: everything queued is applied before one
/// publication per identity (latest wins). Nothing is published before the first complete sync, so a proxy never
/// sees the empty policy of a control plane that has not read its manifests yet.
/// <para>
/// Sources are its children, so a restart of the aggregator restarts them too, and each source's fresh start
/// resynchronises everything, including changes lost with the failed message.
/// </para>
/// </summary>
internal sealed class PolicyAggregator : Actor<PolicyAggregatorMessage>
{
    private readonly LatestValueTopics<ServiceAccountIdentity, EgressSnapshot> _hub;
    private readonly ControlPlaneState _state;
    private readonly ControlPlaneCounters _counters;
    private readonly ResourceKey _meshConfigKey;
    private readonly Action<ActorContext<PolicyAggregatorMessage>> _spawnSources;
    private readonly TaskCompletionSource _firstSync;
    private readonly Action<ResourceChange>? _beforeApply;
    private readonly Dictionary<ServiceAccountIdentity, EgressSnapshot> _pending = [];
    private PolicyIndex _index = new(ClusterState.Empty);
    private bool _synced;
    private bool _publishQueued;

    /// <param name="spawnSources">Starts the sources as children; they report to the aggregator they are given.</param>
    /// <param name="firstSync">Completed once the first complete sync has been published (startup readiness).</param>
    /// <param name="beforeApply">Test hook: runs before each change is applied; throwing simulates a crash.</param>
    public PolicyAggregator(
        LatestValueTopics<ServiceAccountIdentity, EgressSnapshot> hub,
        ControlPlaneState state,
        ControlPlaneCounters counters,
        ResourceKey meshConfigKey,
        Action<ActorContext<PolicyAggregatorMessage>> spawnSources,
        TaskCompletionSource firstSync,
        Action<ResourceChange>? beforeApply = null)
    {
        _hub = hub;
        _state = state;
        _counters = counters;
        _meshConfigKey = meshConfigKey;
        _spawnSources = spawnSources;
        _firstSync = firstSync;
        _beforeApply = beforeApply;
    }

    protected override ValueTask PreStartAsync(CancellationToken cancellationToken)
    {
        // After a restart, start from the last state applied in full, and keep serving the proxies still subscribed.
        var last = _state.Applied;
        _index = new PolicyIndex(last ?? ClusterState.Create(_meshConfigKey));
        _synced = last is not null;
        foreach (var identity in _hub.Keys.Where(k => _hub.SubscriberCount(k) > 0)) _index.Track(identity);
        if (_synced) PendAllTracked();
        _spawnSources(Context);
        return ValueTask.CompletedTask;
    }

    protected override ValueTask HandleAsync(PolicyAggregatorMessage message, CancellationToken cancellationToken)
    {
        switch (message)
        {
            case ApplyChanges { Changes: var changes }:
                Apply(changes);
                break;
            case Resync { InForce: var inForce }:
                var reconciling = Reconcile(inForce);
                Apply(reconciling);
                ControlLog.Resynced(Context.Logger, inForce.Count, reconciling.Count);
                if (!_synced)
                {
                    _synced = true;
                    PendAllTracked();
                }
                break;
            case TrackIdentity { Identity: var identity }:
                _pending[identity] = _index.Track(identity);
                break;
            case PublishPending:
                _publishQueued = false;
                Publish();
                return ValueTask.CompletedTask;
        }
        if (_synced) _state.Applied = _index.State;
        RequestPublish();
        return ValueTask.CompletedTask;
    }

    private void Apply(IReadOnlyList<ResourceChange> changes)
    {
        foreach (var change in changes)
        {
            _beforeApply?.Invoke(change);
            foreach (var snapshot in _index.Apply(change)) _pending[snapshot.Identity] = snapshot;
        }
        _counters.AddChanges(changes.Count);
    }

    /// <summary>The changes that turn the current state into exactly <paramref name="inForce"/>.</summary>
    private List<ResourceChange> Reconcile(IReadOnlyCollection<MeshResource> inForce)
    {
        var current = _index.State.Objects;
        var wanted = inForce.ToDictionary(r => r.Key);
        var changes = new List<ResourceChange>();
        foreach (var key in current.Keys.Where(k => !wanted.ContainsKey(k)).Order(ResourceKey.Order))
        {
            changes.Add(new ResourceChange.Deleted(key));
        }
        foreach (var resource in wanted.Values.OrderBy(r => r.Key, ResourceKey.Order))
        {
            if (!current.TryGetValue(resource.Key, out var old) || ResourceFingerprint.Of(old) != ResourceFingerprint.Of(resource))
            {
                changes.Add(new ResourceChange.Upserted(resource));
            }
        }
        return changes;
    }

    private void PendAllTracked()
    {
        foreach (var identity in _index.TrackedIdentities.ToList())
        {
            if (_index.TryGetSnapshot(identity, out var snapshot)) _pending[identity] = snapshot;
        }
    }

    private void RequestPublish()
    {
        if (_pending.Count == 0)
        {
            if (_synced) _firstSync.TrySetResult(); // synced with nothing to publish is ready too
            return;
        }
        if (_publishQueued) return;
        _publishQueued = Context.Self.Tell(PublishPending.Instance);
        if (!_publishQueued) Publish(); // mailbox full: publish now rather than not at all
    }

    private void Publish()
    {
        if (!_synced) return;
        var now = DateTimeOffset.UtcNow;
        foreach (var (identity, snapshot) in _pending.OrderBy(p => p.Key, ServiceAccountIdentity.Order))
        {
            // The hub may already hold this content (a change and its undo, or a restart): proxies need nothing new.
            if (_hub.TryGetLatest(identity, out var latest) && latest.Value.Version == snapshot.Version) continue;
            _hub.Publish(identity, snapshot);
            _counters.Published(now);
            ControlLog.Published(Context.Logger, identity, snapshot.Version);
        }
        _pending.Clear();
        _firstSync.TrySetResult();
    }
}
