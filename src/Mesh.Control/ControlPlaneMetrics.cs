using Mesh.Control.Validation;
using Mesh.Kubernetes.Reflection;
using Prometheus;

namespace Mesh.Control;

/// <summary>
/// The control plane's metrics (prometheus-net), created in the registry of the process that runs it, so that two
/// control planes in one test process never share counters. The actors write them; <c>/metrics</c> reads the registry.
/// </summary>
public sealed class ControlPlaneMetrics
{
    private readonly Counter _rejections;
    private readonly Counter _changes;
    private readonly Counter _published;
    private readonly Counter _restarts;
    private readonly Gauge _objectsRejected;
    private readonly Gauge _filesUnreadable;
    private readonly Gauge _conflicts;
    private readonly Gauge _watchers;
    private readonly Gauge _synced;
    private readonly Counter _ignored;
    private readonly Counter _tooLarge;
    private readonly Counter _pushed;
    private readonly Counter _statusWrites;

    public ControlPlaneMetrics(IMetricFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _rejections = factory.CreateCounter("mesh_control_rejections_total", "Rejections found when reading manifests (invalid objects, unreadable files, conflicts)");
        _changes = factory.CreateCounter("mesh_control_changes_applied_total", "Object changes the policy aggregator applied");
        _published = factory.CreateCounter("mesh_control_snapshots_published_total", "Snapshots published, all identities");
        _restarts = factory.CreateCounter("mesh_control_actor_restarts_total", "Restarts of control-plane actors after a failure", labelNames: ["actor"]);
        _objectsRejected = factory.CreateGauge("mesh_control_objects_rejected", "Objects whose latest version is rejected right now");
        _filesUnreadable = factory.CreateGauge("mesh_control_files_unreadable", "Manifest files that do not parse right now (their last objects stay in force)");
        _conflicts = factory.CreateGauge("mesh_control_object_conflicts", "Objects defined in more than one file right now");
        _watchers = factory.CreateGauge("mesh_control_snapshot_watchers", "Proxies (identity actors) watching snapshots on this controller");
        _synced = factory.CreateGauge("mesh_control_synced", "1 once the first complete read of every source has been published");
        _ignored = factory.CreateCounter("mesh_control_snapshots_ignored_total", "Snapshots not taken because they did not supersede the one held (a lagging replica's)");
        _tooLarge = factory.CreateCounter("mesh_control_snapshots_too_large_total", "Snapshots not sent to a remote proxy because they exceed the remote frame size");
        _pushed = factory.CreateCounter("mesh_control_snapshots_pushed_total",
            "New snapshots pushed to watching proxies (one copy per proxy in the cluster: each is pushed by the controller it prefers)");
        _statusWrites = factory.CreateCounter("mesh_control_status_writes_total",
            "Egress status writes by outcome: written, current (already as wanted when listed or watched: not read again), unchanged (as wanted when read), gone (object deleted), failed (retried)", labelNames: ["outcome"]);
        Reflectors = new ReflectorMetrics(factory);
    }

    /// <summary>The Kubernetes reflectors' counters (<c>mesh_kubernetes_*</c>), in the same registry.</summary>
    public ReflectorMetrics Reflectors { get; }

    public double StatusWrites(string outcome) => _statusWrites.WithLabels(outcome).Value;

    internal void StatusWritten(string outcome) => _statusWrites.WithLabels(outcome).Inc();

    /// <summary>Rejections found so far (each time a source reads them).</summary>
    public double RejectionsTotal => _rejections.Value;

    public double ChangesAppliedTotal => _changes.Value;

    public double SnapshotsPublishedTotal => _published.Value;

    public double RestartsOf(string actor) => _restarts.WithLabels(actor).Value;

    internal void AddRejections(int count) => _rejections.Inc(count);

    internal void ChangesApplied(int count) => _changes.Inc(count);

    internal void Published() => _published.Inc();

    internal void Restarted(string actor) => _restarts.WithLabels(actor).Inc();

    internal void Watchers(int count) => _watchers.Set(count);

    internal void Synced() => _synced.Set(1);

    internal void SnapshotIgnored() => _ignored.Inc();

    internal void SnapshotTooLarge() => _tooLarge.Inc();

    public double SnapshotsTooLargeTotal => _tooLarge.Value;

    internal void Pushed(int watchers) => _pushed.Inc(watchers);

    public double SnapshotsPushedTotal => _pushed.Value;

    /// <summary>Proxies (identity actors) watching snapshots here now.</summary>
    public int WatchersNow => (int)_watchers.Value;

    internal void Validation(ValidationReport report)
    {
        _objectsRejected.Set(report.Rejections.Count);
        _filesUnreadable.Set(report.SyntaxErrors.Count);
        _conflicts.Set(report.Conflicts.Count);
    }
}
