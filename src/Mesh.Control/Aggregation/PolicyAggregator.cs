using Akka.Actor;
using Mesh.Control.Publishing;
using Mesh.Control.Sources;
using Mesh.Policy.Model;
using Mesh.Policy.Snapshots;
using Mesh.Policy.State;
using Microsoft.Extensions.Logging;

namespace Mesh.Control.Aggregation;

/// <summary>
/// Owns the <see cref="PolicyIndex"/>: applies the changes its sources report and sends every snapshot that changed to
/// the snapshot server, with the order of the inputs it was computed from (each source's position). Bursts are
/// coalesced: everything queued is applied before one publication per identity (latest wins). Nothing is published
/// before the first <see cref="Resync"/> of every source (on Kubernetes: every kind listed, namespaces included), so a
/// proxy never sees the partial or empty policy of a control plane that has not read all its inputs yet, and the
/// control plane is not ready until then.
/// <para>
/// Several sources feed one index: a resync reconciles only the kinds its source owns
/// (<see cref="SourceDefinition.Kinds"/>), and the enrolled namespaces come from the source that reports them.
/// </para>
/// <para>
/// Supervision: the sources are its children, each under its own backoff supervisor (they read files or an API
/// server). A restart of the aggregator stops them and starts them afresh, and each fresh source resynchronises
/// everything, including changes lost with the failed message. A (re)started aggregator first asks its parent for the
/// state last applied in full and stashes everything else until it has it, so it keeps serving what was in force; it
/// publishes again once every source has resynced (the snapshot server keeps serving the last snapshots meanwhile).
/// </para>
/// </summary>
internal sealed class PolicyAggregator : ReceiveActor, IWithUnboundedStash
{
    public const string Name = "policy-aggregator";

    private readonly IActorRef _server;
    private readonly ResourceKey _meshConfigKey;
    private readonly IReadOnlyList<SourceDefinition> _sources;
    private readonly ControlPlaneMetrics _metrics;
    private readonly ILogger _logger;
    private readonly Action<ResourceChange>? _beforeApply;
    private readonly Dictionary<ServiceAccountIdentity, EgressSnapshot> _pending = [];
    private readonly Dictionary<ServiceAccountIdentity, string> _published = [];
    private readonly HashSet<string> _awaitingFirstResync = new(StringComparer.Ordinal);
    private PolicyIndex _index = new(ClusterState.Empty);
    private SnapshotOrder _order = SnapshotOrder.None;
    private bool _synced;
    private bool _publishQueued;
    private bool _firstSyncReported;

    public PolicyAggregator(IActorRef server, ResourceKey meshConfigKey, IReadOnlyList<SourceDefinition> sources, ControlPlaneMetrics metrics,
        ILoggerFactory loggerFactory, Action<ResourceChange>? beforeApply)
    {
        _server = server;
        _meshConfigKey = meshConfigKey;
        _sources = sources;
        _metrics = metrics;
        _logger = loggerFactory.CreateLogger("Mesh.Control.Aggregator");
        _beforeApply = beforeApply;
        Receive<LastAppliedResponse>(Restore);
        ReceiveAny(_ => Stash.Stash());
    }

    public IStash Stash { get; set; } = null!;

    /// <param name="beforeApply">Test hook: runs before each change is applied; throwing simulates a crash.</param>
    public static Props Props(IActorRef server, ResourceKey meshConfigKey, IReadOnlyList<SourceDefinition> sources, ControlPlaneMetrics metrics,
        ILoggerFactory loggerFactory, Action<ResourceChange>? beforeApply = null) =>
        Akka.Actor.Props.Create(() => new PolicyAggregator(server, meshConfigKey, sources, metrics, loggerFactory, beforeApply));

    protected override void PreStart() => Context.Parent.Tell(GetLastApplied.Instance);

    protected override void PostRestart(Exception reason)
    {
        _metrics.Restarted(Name);
        base.PostRestart(reason);
    }

    private void Restore(LastAppliedResponse last)
    {
        // Before the namespace source has reported, no namespace is enrolled (fail closed); with no such source
        // (a directory), every namespace counts.
        var enrolledAtFirst = _sources.Any(s => s.Enrollment) ? Array.Empty<string>() : null;
        _index = new PolicyIndex(last.State ?? ClusterState.Create(_meshConfigKey, enrolledAtFirst));
        // A restarted aggregator keeps serving what was applied in full; a fresh one waits for every source.
        _synced = last.State is not null;
        // Either way, nothing is published until every source has resynced in this incarnation: the input order starts
        // over, and a snapshot sent with only part of it would not supersede what the server and proxies hold (and,
        // marked as published, would not be sent again once the order is complete).
        _awaitingFirstResync.UnionWith(_sources.Select(s => s.Name));
        var context = new SourceContext(Self, Context.Parent);
        foreach (var source in _sources) Context.ActorOf(source.Props(context), source.Name);
        _server.Tell(ResendWatchedIdentities.Instance); // the identities proxies watch come back as TrackIdentity
        Become(Serving);
        Stash.UnstashAll();
    }

    private void Serving()
    {
        Receive<ApplyChanges>(m =>
        {
            Advance(m.Positions);
            Apply(m.Changes);
            AfterChange();
        });
        Receive<Resync>(OnResync);
        Receive<GetInForce>(_ => Sender.Tell(new InForceResponse([.. _index.State.Objects.Values])));
        Receive<TrackIdentity>(m =>
        {
            _published.Remove(m.Identity); // the server asks because it holds none: send it even if unchanged
            _pending[m.Identity] = _index.Track(m.Identity);
            RequestPublish();
        });
        Receive<UntrackIdentity>(m => _index.Untrack(m.Identity));
        Receive<RepublishAll>(_ =>
        {
            _published.Clear();
            if (Publishing) PendAllTracked();
            RequestPublish();
        });
        Receive<PublishPending>(_ =>
        {
            _publishQueued = false;
            Publish();
        });
    }

    private void OnResync(Resync m)
    {
        var source = _sources.FirstOrDefault(s => s.Name == m.Source);
        var kinds = source?.Kinds ?? SourceDefinition.AllKinds;
        Advance(m.Positions);
        var reconciling = new List<ResourceChange>();
        if (m.Enrolled is { } enrolled && (_index.State.EnrolledNamespaces is not { } current || !current.SetEquals(enrolled)))
        {
            reconciling.Add(new ResourceChange.EnrollmentChanged(enrolled));
        }
        var owned = _index.State.Objects.Where(o => kinds.Contains(o.Key.Kind)).ToDictionary();
        var reported = m.InForce.Where(r => kinds.Contains(r.Key.Kind)).ToDictionary(r => r.Key);
        reconciling.AddRange(ResourceDiff.Between(owned, reported));
        Apply(reconciling);
        ControlLog.Resynced(_logger, m.Source, m.InForce.Count, reconciling.Count);
        if (_awaitingFirstResync.Remove(m.Source) && _awaitingFirstResync.Count == 0)
        {
            _synced = true;
            PendAllTracked();
        }
        else if (!Publishing)
        {
            ControlLog.AwaitingSources(_logger, m.Source, _awaitingFirstResync);
        }
        AfterChange();
    }

    private void Advance(IReadOnlyList<SourcePosition> positions)
    {
        foreach (var p in positions) _order = _order.With(p.Source, p.Position);
    }

    private void Apply(IReadOnlyList<ResourceChange> changes)
    {
        foreach (var change in changes)
        {
            _beforeApply?.Invoke(change);
            foreach (var snapshot in _index.Apply(change)) _pending[snapshot.Identity] = snapshot;
        }
        _metrics.ChangesApplied(changes.Count);
    }

    private void AfterChange()
    {
        if (_synced) Context.Parent.Tell(new StateApplied(_index.State));
        RequestPublish();
    }

    /// <summary>Every source has resynced in this incarnation: the state is complete and so is the input order.</summary>
    private bool Publishing => _synced && _awaitingFirstResync.Count == 0;

    private void PendAllTracked()
    {
        foreach (var identity in _index.TrackedIdentities.ToList())
        {
            if (_index.TryGetSnapshot(identity, out var snapshot)) _pending[identity] = snapshot;
        }
    }

    private void RequestPublish()
    {
        if (_publishQueued || !Publishing) return;
        _publishQueued = true;
        Self.Tell(PublishPending.Instance);
    }

    private void Publish()
    {
        foreach (var (identity, snapshot) in _pending.OrderBy(p => p.Key, ServiceAccountIdentity.Order))
        {
            // A change and its undo, or a restart, can give back the content proxies already hold.
            if (_published.TryGetValue(identity, out var version) && version == snapshot.Version) continue;
            _published[identity] = snapshot.Version;
            _server.Tell(new PublishSnapshot(snapshot, _order));
            _metrics.Published();
            ControlLog.Published(_logger, identity, snapshot.Version);
        }
        _pending.Clear();
        if (!_firstSyncReported)
        {
            _firstSyncReported = true;
            Context.Parent.Tell(FirstSyncPublished.Instance);
        }
    }
}
