using System.Collections.Concurrent;
using Mesh.Policy.Model;
using Mesh.Policy.Snapshots;
using Prometheus;

namespace Mesh.Proxy.Observability;

/// <summary>
/// One identity's proxy metrics (prometheus-net), labelled by identity so that a node serving several identities
/// keeps them apart. Verdict counters are keyed by (kind, verdict, reason, rule) so an operator can see which policy
/// let traffic through or which denial is hit. Hot paths touch cached labelled children only: a connection or request
/// counts without building a label string (<see cref="Outcome"/>).
/// </summary>
public sealed class ProxyMetrics
{
    private readonly CollectorRegistry _registry;
    private readonly string _identity;
    private readonly Counter.Child _accepted;
    private readonly Gauge.Child _active;
    private readonly Counter.Child _requests;
    private readonly Counter.Child _revoked;
    private readonly Counter.Child _bytesUp;
    private readonly Counter.Child _bytesDown;
    private readonly Counter _verdicts;
    private readonly Gauge _snapshotInfo;
    private readonly Gauge.Child _snapshotAge;
    private readonly Gauge.Child _snapshotAppliedTime;
    private readonly Gauge.Child _sourceReachable;
    private readonly Counter.Child _snapshotsIgnored;
    private readonly Counter.Child _snapshotsTooLarge;
    private readonly Counter.Child _sequenceGaps;
    private readonly Counter.Child _basesMissing;
    // Keyed by the outcome: its labels by reference (one instance each), its rule itself, not its text (RuleRef is a
    // record: equal rules of successive snapshots share a child).
    private readonly ConcurrentDictionary<Outcome, Counter.Child> _verdictChildren = new();
    private string _snapshotVersion = "";
    private long _snapshotAppliedTicks;

    public ProxyMetrics(CollectorRegistry registry, ServiceAccountIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(registry);
        _registry = registry;
        _identity = identity.ToString();
        var factory = Metrics.WithCustomRegistry(registry);
        string[] byIdentity = ["identity"];
        _accepted = factory.CreateCounter("mesh_connections_total", "Accepted outbound connections", byIdentity).WithLabels(_identity);
        _active = factory.CreateGauge("mesh_connections_active", "Open outbound connections", byIdentity).WithLabels(_identity);
        _requests = factory.CreateCounter("mesh_requests_total", "HTTP requests decided on inspected connections", byIdentity).WithLabels(_identity);
        _revoked = factory.CreateCounter("mesh_connections_revoked_total", "Live connections closed because a new snapshot no longer allowed them", byIdentity).WithLabels(_identity);
        var bytes = factory.CreateCounter("mesh_bytes_total", "Bytes forwarded (closed connections)", ["identity", "direction"]);
        _bytesUp = bytes.WithLabels(_identity, "upstream");
        _bytesDown = bytes.WithLabels(_identity, "downstream");
        _verdicts = factory.CreateCounter("mesh_verdicts_total", "Decisions by kind, verdict, reason and deciding rule", ["identity", "kind", "verdict", "reason", "rule"]);
        DecisionLatency = new LatencyHistogram(factory.CreateHistogram("mesh_decision_duration_seconds", "Time to decide a connection or request",
            new HistogramConfiguration { LabelNames = byIdentity, Buckets = LatencyHistogram.DecisionBounds }).WithLabels(_identity));
        UpstreamConnectLatency = new LatencyHistogram(factory.CreateHistogram("mesh_upstream_connect_duration_seconds", "Time to open an upstream connection",
            new HistogramConfiguration { LabelNames = byIdentity, Buckets = LatencyHistogram.ConnectBounds }).WithLabels(_identity));
        _snapshotInfo = factory.CreateGauge("mesh_snapshot_info", "The applied snapshot (1 for its version)", ["identity", "version"]);
        _snapshotAge = factory.CreateGauge("mesh_snapshot_age_seconds", "Seconds since the snapshot was applied (-1: none yet)", byIdentity).WithLabels(_identity);
        _snapshotAppliedTime = factory.CreateGauge("mesh_snapshot_applied_time_seconds", "Unix time the snapshot was applied (0: none yet)", byIdentity).WithLabels(_identity);
        _sourceReachable = factory.CreateGauge("mesh_controller_reachable", "1 while a controller answered within three re-watch rounds", byIdentity).WithLabels(_identity);
        _snapshotsIgnored = factory.CreateCounter("mesh_snapshots_ignored_total", "Snapshots not applied because the order of their inputs did not supersede the one in force", byIdentity).WithLabels(_identity);
        _snapshotsTooLarge = factory.CreateCounter("mesh_snapshots_too_large_total", "Snapshots a controller could not send: larger than one remote message", byIdentity).WithLabels(_identity);
        _basesMissing = factory.CreateCounter("mesh_snapshot_bases_missing_total", "Changes pushed against a snapshot this proxy did not hold (each asks the controllers for the whole one)", byIdentity).WithLabels(_identity);
        _sequenceGaps = factory.CreateCounter("mesh_snapshot_sequence_gaps_total", "Publications found missing by their sequence (each asks the controller again)", byIdentity).WithLabels(_identity);
        _sourceReachable.Set(1);
        _snapshotAge.Set(-1);
        registry.AddBeforeCollectCallback(UpdateSnapshotAge);
    }

    internal LatencyHistogram DecisionLatency { get; }

    internal LatencyHistogram UpstreamConnectLatency { get; }

    public long ActiveConnections => (long)_active.Value;

    public string SnapshotVersion => Volatile.Read(ref _snapshotVersion);

    public DateTimeOffset? SnapshotAppliedAt =>
        Interlocked.Read(ref _snapshotAppliedTicks) is var ticks and > 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    /// <summary>The whole registry (this identity, any other, and the in-process control plane) as Prometheus text.</summary>
    public async Task<string> RenderAsync(CancellationToken cancellationToken = default)
    {
        using var text = new MemoryStream();
        await _registry.CollectAndExportAsTextAsync(text, cancellationToken);
        return System.Text.Encoding.UTF8.GetString(text.GetBuffer(), 0, (int)text.Length);
    }

    internal void SnapshotApplied(EgressSnapshot snapshot, DateTimeOffset at)
    {
        var previous = Interlocked.Exchange(ref _snapshotVersion, snapshot.Version);
        if (previous.Length > 0 && previous != snapshot.Version) _snapshotInfo.RemoveLabelled(_identity, previous);
        _snapshotInfo.WithLabels(_identity, snapshot.Version).Set(1);
        Interlocked.Exchange(ref _snapshotAppliedTicks, at.UtcTicks);
        _snapshotAppliedTime.Set(at.ToUnixTimeMilliseconds() / 1000.0);
    }

    internal void ConnectionOpened()
    {
        _accepted.Inc();
        _active.Inc();
    }

    internal void ConnectionClosed(long up, long down)
    {
        _active.Dec();
        _bytesUp.Inc(up);
        _bytesDown.Inc(down);
    }

    internal void Revoked() => _revoked.Inc();

    internal void SourceReachable(bool reachable) => _sourceReachable.Set(reachable ? 1 : 0);

    internal void SnapshotIgnored() => _snapshotsIgnored.Inc();

    internal void SnapshotTooLarge() => _snapshotsTooLarge.Inc();

    internal void SequenceGap() => _sequenceGaps.Inc();

    internal void BaseMissing() => _basesMissing.Inc();

    /// <summary>Counts a decided (or ended) connection or request in <c>mesh_verdicts_total</c>, and a request in <c>mesh_requests_total</c>.</summary>
    internal void Count(Outcome outcome)
    {
        if (outcome.Labels.IsRequest) _requests.Inc();
        if (!_verdictChildren.TryGetValue(outcome, out var child))
        {
            child = _verdictChildren.GetOrAdd(outcome, static (o, metrics) =>
                metrics._verdicts.WithLabels(metrics._identity, o.Labels.Kind, o.Labels.Verdict, o.Labels.Reason, o.Rule?.ToString() ?? ""), this);
        }
        child.Inc();
    }

    private void UpdateSnapshotAge()
    {
        if (SnapshotAppliedAt is { } at) _snapshotAge.Set(Math.Max(0, (DateTimeOffset.UtcNow - at).TotalSeconds));
    }
}
