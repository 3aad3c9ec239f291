using Akka.Actor;
using Mesh.Control.Aggregation;
using Mesh.Control.Publishing;
using Mesh.Control.Sources;
using Mesh.Control.Validation;
using Mesh.Policy.State;
using Microsoft.Extensions.Logging;

namespace Mesh.Control;

/// <summary>
/// The control plane's root (<c>/user/control</c>) and its error kernel: it holds what must survive a child's
/// restart (the state last applied in full, the latest validation verdict, readiness), and does no risky work itself.
/// <para>
/// Children, each supervised by <see cref="SupervisorStrategy"/>: <c>snapshot-server</c> (the latest snapshot per
/// identity and its watchers) and <c>policy-aggregator</c> (the index, and under it the sources). Both restart at once
/// on any exception, at most <see cref="RestartPolicy.MaxRestarts"/> times within <see cref="RestartPolicy.Window"/>; a
/// child past that is stopped, and then so is this actor: the control plane has given up (its host decides what that
/// means: <c>mesh run</c> keeps proxying on the last snapshots, a controller exits so that it is restarted).
/// </para>
/// <para>
/// On Kubernetes it also creates <c>egress-status</c>, the Egress status writer: a cluster singleton manager when the
/// actor system is a cluster (one writer among all controllers), else the writer itself (one process, one writer).
/// It is not watched: its own failures are retried inside it, and the snapshots do not depend on it.
/// </para>
/// </summary>
internal sealed class ControlPlaneActor : ReceiveActor
{
    private readonly ControlPlaneOptions _options;
    private readonly IReadOnlyList<SourceDefinition> _sources;
    private readonly ControlPlaneMetrics _metrics;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly IActorRef? _mediator;
    private readonly List<IActorRef> _awaitingFirstSync = [];
    private ClusterState? _applied;
    private readonly SortedDictionary<string, ValidationReport> _validation = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, IReadOnlyList<string>> _problems = new(StringComparer.Ordinal);
    private readonly (string Name, Props Props)? _statusWriter;
    private bool _synced;
    private IActorRef _server = ActorRefs.Nobody;

    public ControlPlaneActor(ControlPlaneOptions options, IReadOnlyList<SourceDefinition> sources, ControlPlaneMetrics metrics, ILoggerFactory loggerFactory,
        IActorRef? mediator, (string Name, Props Props)? statusWriter)
    {
        _statusWriter = statusWriter;
        _options = options;
        _mediator = mediator;
        _sources = sources;
        _metrics = metrics;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger("Mesh.Control");
        Receive<StateApplied>(m => _applied = m.State);
        Receive<FirstSyncPublished>(_ => OnFirstSync());
        Receive<ValidationReported>(m =>
        {
            _validation[m.Source] = m.Report;
            metrics.Validation(Validation());
        });
        Receive<SourceHealthReported>(m =>
        {
            if (m.Problems.Count == 0) _problems.Remove(m.Source);
            else _problems[m.Source] = m.Problems;
        });
        Receive<GetSnapshotServer>(_ => Sender.Tell(new ControlPlaneStarted(_server)));
        Receive<GetLastApplied>(_ => Sender.Tell(new LastAppliedResponse(_applied)));
        Receive<AwaitFirstSync>(_ =>
        {
            if (_synced) Sender.Tell(new ControlPlaneReady(_server));
            else _awaitingFirstSync.Add(Sender);
        });
        Receive<GetControlPlaneStatus>(_ => Sender.Tell(new ControlPlaneStatus(_synced, _applied, Validation())
        {
            Problems = [.. _problems.Values.SelectMany(p => p)],
        }));
        Receive<Terminated>(m =>
        {
            ControlLog.GaveUp(_logger, m.ActorRef.Path.Name, _options.Restarts.MaxRestarts, _options.Restarts.Window);
            Context.Stop(Self);
        });
    }

    /// <param name="statusWriter">The Egress status writer's name and props (Kubernetes only), or null.</param>
    public static Props Props(ControlPlaneOptions options, IReadOnlyList<SourceDefinition> sources, ControlPlaneMetrics metrics, ILoggerFactory loggerFactory,
        IActorRef? mediator, (string Name, Props Props)? statusWriter = null) =>
        Akka.Actor.Props.Create(() => new ControlPlaneActor(options, sources, metrics, loggerFactory, mediator, statusWriter));

    protected override SupervisorStrategy SupervisorStrategy() =>
        new OneForOneStrategy(_options.Restarts.MaxRestarts, _options.Restarts.Window, static _ => Directive.Restart);

    protected override void PreStart()
    {
        _server = Context.ActorOf(SnapshotServer.Props(_metrics, _loggerFactory, _mediator, _options.MaxRemoteSnapshotBytes), SnapshotServer.Name);
        var aggregator = Context.ActorOf(
            PolicyAggregator.Props(_server, _options.MeshConfigKey, _sources, _metrics, _loggerFactory, _options.Hooks?.BeforeApply),
            PolicyAggregator.Name);
        Context.Watch(_server);
        Context.Watch(aggregator);
        if (_statusWriter is { } writer) Context.ActorOf(writer.Props, writer.Name);
    }

    /// <summary>
    /// Every source's latest report in one, sources in name order. Objects of namespaces outside the mesh are left
    /// out (on Kubernetes another mesh's objects are not this one's to judge); a directory counts every namespace.
    /// </summary>
    private ValidationReport Validation()
    {
        if (_validation.Count == 1 && _applied?.EnrolledNamespaces is null) return _validation.Values.First();
        bool Counts(Mesh.Policy.Model.ResourceKey? key) =>
            key is not { } k || k.Kind == Mesh.Policy.Model.ResourceKind.MeshConfig || _applied is null || _applied.IsEnrolled(k.Namespace);
        var reports = _validation.Values.ToList();
        return new ValidationReport(
            [.. reports.SelectMany(r => r.Objects).Where(o => Counts(o.Key))],
            [.. reports.SelectMany(r => r.Rejections).Where(e => Counts(e.Key))],
            [.. reports.SelectMany(r => r.SyntaxErrors)],
            [.. reports.SelectMany(r => r.Conflicts)],
            [.. reports.SelectMany(r => r.Ignored)]);
    }

    private void OnFirstSync()
    {
        if (_synced) return;
        _synced = true;
        _metrics.Synced();
        foreach (var waiting in _awaitingFirstSync) waiting.Tell(new ControlPlaneReady(_server));
        _awaitingFirstSync.Clear();
    }
}
