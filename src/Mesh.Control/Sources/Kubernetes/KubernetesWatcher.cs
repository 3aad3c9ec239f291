using Akka.Actor;
using Akka.Pattern;
using Mesh.Kubernetes.Catalog;
using Mesh.Kubernetes.Reflection;
using Microsoft.Extensions.Logging;

namespace Mesh.Control.Sources.Kubernetes;

/// <summary>
/// What every Kubernetes watcher does around its reflectors: runs one per watched resource from <c>PreStart</c> to
/// <c>PostStop</c> (their reports come back as messages), keeps each resource's position for snapshot orders, logs
/// failures (401/403 as errors naming what to grant) and reports to the control plane what keeps a resource from
/// being read (<see cref="SourceHealthReported"/>): a loud failure, or any failure before its first list.
/// <para>
/// Supervision: each watcher runs under a backoff supervisor (<see cref="Supervised"/>). The reflectors retry API
/// failures on their own, so the watcher fails only on a bug (a reflector loop that threw, a report it could not
/// handle); its supervisor then starts a fresh incarnation after a backoff, which lists everything again and sends
/// a full <see cref="Mesh.Control.Aggregation.Resync"/>: nothing lost, nothing applied twice.
/// </para>
/// </summary>
internal abstract class KubernetesWatcher : ReceiveActor, IWithTimers
{
    private readonly IReadOnlyList<WatchedResource> _resources;
    private readonly KubernetesWatchSettings _settings;
    private readonly Dictionary<WatchedResource, string> _problems = [];
    private readonly HashSet<WatchedResource> _listed = [];
    private ReflectorRuns? _runs;
    private bool _warnedOpaqueVersion;

    protected KubernetesWatcher(string sourceName, IReadOnlyList<WatchedResource> resources, KubernetesWatchSettings settings, SourceContext context,
        ControlPlaneMetrics metrics, ILoggerFactory loggerFactory)
    {
        SourceName = sourceName;
        _resources = resources;
        _settings = settings;
        Targets = context;
        Metrics = metrics;
        Logger = loggerFactory.CreateLogger("Mesh.Control.Kubernetes");
        Positions = new ReflectorPositions(resources);
        Receive<ReflectorSynced>(m =>
        {
            Advance(m.Resource, m.ResourceVersion);
            _listed.Add(m.Resource);
            Healthy(m.Resource);
            OnSynced(m);
        });
        Receive<ReflectorChanged>(m =>
        {
            Advance(m.Resource, m.Change.Item.ResourceVersion);
            Healthy(m.Resource);
            OnChanged(m);
        });
        Receive<ReflectorFailed>(OnFailed);
        Receive<ProblemLapsed>(m => Healthy(m.Resource));
        Receive<ReflectorStopped>(m =>
        {
            Metrics.Restarted(SourceName);
            throw new ReflectorStoppedException($"the reflector of {m.Resource} stopped: {m.Cause.Message}", m.Cause);
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>The name of this watcher's <see cref="SourceDefinition"/>: what its resyncs and reports say they come from.</summary>
    protected string SourceName { get; }

    /// <summary>Where it reports: the aggregator (objects) and the control plane (verdicts, health).</summary>
    protected SourceContext Targets { get; }

    protected ControlPlaneMetrics Metrics { get; }

    protected ILogger Logger { get; }

    protected ReflectorPositions Positions { get; }

    protected bool ReportVerdicts => _settings.ReportVerdicts;

    /// <summary>A watcher under its backoff supervisor, which restarts it on any failure, for as long as it takes.</summary>
    protected static Props Supervised(Props watcher, string name, RestartPolicy restarts) =>
        BackoffSupervisor.Props(
            Backoff.OnFailure(watcher, name, restarts.MinBackoff, restarts.MaxBackoff, randomFactor: 0.2, maxNrOfRetries: -1)
                .WithAutoReset(restarts.MaxBackoff)
                .WithSupervisorStrategy(new OneForOneStrategy(static _ => Directive.Restart)));

    protected abstract void OnSynced(ReflectorSynced synced);

    protected abstract void OnChanged(ReflectorChanged changed);

    protected override void PreStart() => _runs = ReflectorRuns.Start(_settings.Client, _resources, Self, Metrics.Reflectors, _settings.Reflector);

    protected override void PostStop() => _runs?.Stop();

    private void Advance(WatchedResource resource, string resourceVersion)
    {
        if (Positions.Advance(resource, resourceVersion) || _warnedOpaqueVersion) return;
        _warnedOpaqueVersion = true;
        ControlLog.OpaqueResourceVersion(Logger, resource.Name, resourceVersion);
    }

    private void OnFailed(ReflectorFailed failed)
    {
        var level = failed.IsLoud ? LogLevel.Error
            : failed.Kind == FailureKind.Expired ? LogLevel.Information
            : LogLevel.Warning;
        ControlLog.SourceFailed(Logger, level, SourceName, failed.Message);
        if (!failed.IsLoud && _listed.Contains(failed.Resource)) return; // a watch hiccup after the first list: not a problem to report
        // A reflector reports every failed retry, but not a retry that succeeds without news (a watch resumed on a quiet
        // resource): a problem not repeated within twice its retry delay is over.
        Timers.StartSingleTimer("problem:" + failed.Resource.Name, new ProblemLapsed(failed.Resource), (failed.RetryIn * 2) + TimeSpan.FromSeconds(1));
        if (_problems.TryGetValue(failed.Resource, out var known) && known == failed.Message) return;
        _problems[failed.Resource] = failed.Message;
        ReportHealth();
    }

    private void Healthy(WatchedResource resource)
    {
        if (!_problems.Remove(resource)) return;
        Timers.Cancel("problem:" + resource.Name);
        ReportHealth();
    }

    private void ReportHealth() =>
        Targets.ControlPlane.Tell(new SourceHealthReported(SourceName, [.. _problems.OrderBy(p => p.Key.Name, StringComparer.Ordinal).Select(p => p.Value)]));
}
