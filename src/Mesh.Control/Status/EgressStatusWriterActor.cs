using System.Collections.Immutable;
using System.Net;
using Akka.Actor;
using k8s.Autorest;
using Mesh.Control.Aggregation;
using Mesh.Control.Sources;
using Mesh.Control.Sources.Kubernetes;
using Mesh.Kubernetes.Catalog;
using Mesh.Kubernetes.Conversion;
using Mesh.Kubernetes.Objects;
using Mesh.Kubernetes.Status;
using Mesh.Policy.Model;
using Mesh.Policy.State;
using Microsoft.Extensions.Logging;

namespace Mesh.Control.Status;

/// <summary>
/// Writes the status of every Egress of the mesh's namespaces: the <c>Accepted</c> condition (valid and in force, or
/// which field is wrong, or shadowed by the other group's object), the <c>ResolvedRefs</c> condition (every
/// HTTPRouteGroup it names exists; a missing one makes the policy allow no HTTP request), each with
/// <c>observedGeneration</c>, and <c>lastAccepted</c> (the spec last accepted, which keeps an object in force on every
/// replica when a later spec is invalid: see <see cref="LastAcceptedSpec"/>).
/// <para>
/// One writer for all controllers: in a cluster this actor is a cluster singleton (on the oldest controller), so
/// replicas never race each other's writes; alone it is a child of the control plane. It runs its own watchers of
/// Egress, HTTPRouteGroup and namespaces (the same actors the control plane runs, with this actor as their
/// aggregator and verdicts reported), so it depends on no other controller and a new incarnation after a hand-over
/// simply lists again. It writes nothing until each of them has listed (otherwise it could not tell enrolled
/// namespaces or existing route groups), then only what differs from what it wants: the writer reads the object and
/// patches only when a condition or the record changes, so a hand-over rewrites nothing. Before reading, it compares
/// with the object as its watchers listed it (status included), so a start or a hand-over reads nothing again either.
/// </para>
/// <para>
/// Failed writes (a 403 for lack of <c>patch</c> on <c>egresses/status</c>, an unreachable server) are logged, 403 as
/// an error, and retried after a doubling backoff; a newer verdict replaces a pending one. Objects outside the
/// mesh's namespaces are not judged; one that leaves the mesh while this writer runs is marked
/// <c>Accepted=False, NotEnrolled</c> once, if this writer had written it.
/// </para>
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "An actor releases what it holds in PostStop (it cancels the writes in flight).")]
internal sealed class EgressStatusWriterActor : ReceiveActor, IWithTimers
{
    public const string Name = "egress-status";
    public const string ResolvedRefs = "ResolvedRefs";
    public const string NotEnrolled = "NotEnrolled";
    private const string RetryTimer = "retry";

    private readonly KubernetesWatchSettings _settings;
    private readonly KubernetesSourceOptions _options;
    private readonly ControlPlaneMetrics _metrics;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly EgressStatusWriter _writer;
    private readonly CancellationTokenSource _stop = new();
    private readonly HashSet<string> _awaiting = new(StringComparer.Ordinal);
    private readonly Dictionary<ResourceKey, MeshResource> _inForce = [];
    private readonly Dictionary<(WatchedResource, ObjectKey), ObjectVerdict> _verdicts = [];
    private readonly Dictionary<(WatchedResource, ObjectKey), WantedStatus> _written = [];
    private readonly Dictionary<(WatchedResource, ObjectKey), WantedStatus> _pending = [];
    private readonly Queue<(WatchedResource, ObjectKey)> _queue = new();
    private readonly HashSet<(WatchedResource, ObjectKey)> _inFlight = [];
    private readonly HashSet<(WatchedResource, ObjectKey)> _backingOff = [];
    private ImmutableHashSet<string> _enrolled = ImmutableHashSet<string>.Empty;
    private int _failuresInARow;

    public EgressStatusWriterActor(KubernetesWatchSettings settings, KubernetesSourceOptions options, ControlPlaneMetrics metrics, ILoggerFactory loggerFactory)
    {
        _settings = settings with { ReportVerdicts = true };
        _options = options;
        _metrics = metrics;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger("Mesh.Control.EgressStatus");
        _writer = new EgressStatusWriter(settings.Client);
        Receive<Resync>(OnResync);
        Receive<ApplyChanges>(m => Apply(m.Changes));
        Receive<VerdictsChanged>(OnVerdicts);
        Receive<StatusWriteDone>(OnWritten);
        Receive<StatusWriteFailed>(OnFailed);
        Receive<RetryStatusWrites>(_ =>
        {
            foreach (var key in _backingOff) _queue.Enqueue(key);
            _backingOff.Clear();
            Pump();
        });
        Receive<Mesh.Control.ValidationReported>(_ => { }); // the control plane's business
        Receive<Mesh.Control.SourceHealthReported>(_ => { }); // the watchers log their failures themselves
    }

    public ITimerScheduler Timers { get; set; } = null!;

    private bool Synced => _awaiting.Count == 0;

    public static Props Props(KubernetesWatchSettings settings, KubernetesSourceOptions options, ControlPlaneMetrics metrics, ILoggerFactory loggerFactory) =>
        Akka.Actor.Props.Create(() => new EgressStatusWriterActor(settings, options, metrics, loggerFactory));

    protected override void PreStart()
    {
        var sources = new[]
        {
            KindWatcher.Source(ResourceKind.Egress, _settings, _metrics, _loggerFactory),
            KindWatcher.Source(ResourceKind.HttpRouteGroup, _settings, _metrics, _loggerFactory),
            NamespaceWatcher.Source(_settings, _metrics, _loggerFactory),
        };
        var context = new SourceContext(Self, Self);
        foreach (var source in sources)
        {
            _awaiting.Add(source.Name);
            Context.ActorOf(source.Props(context), source.Name);
        }
        ControlLog.StatusWriterStarted(_logger);
    }

    protected override void PostStop() => _stop.Cancel();

    private void OnResync(Resync m)
    {
        if (m.Enrolled is { } enrolled) SetEnrolled(enrolled.ToImmutableHashSet(StringComparer.Ordinal));
        ResourceKind? kind = m.Source == KindWatcher.SourceNameOf(ResourceKind.Egress) ? ResourceKind.Egress
            : m.Source == KindWatcher.SourceNameOf(ResourceKind.HttpRouteGroup) ? ResourceKind.HttpRouteGroup
            : null;
        foreach (var key in _inForce.Keys.Where(k => k.Kind == kind).ToList()) _inForce.Remove(key);
        foreach (var r in m.InForce) _inForce[r.Key] = r;
        _awaiting.Remove(m.Source);
        RecomputeAll();
    }

    private void Apply(IReadOnlyList<ResourceChange> changes)
    {
        var namespaces = new HashSet<string>(StringComparer.Ordinal);
        var everything = false;
        foreach (var change in changes)
        {
            switch (change)
            {
                case ResourceChange.Upserted { Resource: var r }:
                    _inForce[r.Key] = r;
                    namespaces.Add(r.Key.Namespace);
                    break;
                case ResourceChange.Deleted { Key: var k }:
                    _inForce.Remove(k);
                    namespaces.Add(k.Namespace);
                    break;
                case ResourceChange.EnrollmentChanged { Namespaces: var enrolled }:
                    SetEnrolled(enrolled?.ToImmutableHashSet(StringComparer.Ordinal) ?? ImmutableHashSet<string>.Empty);
                    everything = true;
                    break;
            }
        }
        // An Egress names route groups of its own namespace: a change there can change its ResolvedRefs.
        if (everything) RecomputeAll();
        else Recompute(_verdicts.Keys.Where(k => namespaces.Contains(k.Item2.Namespace)).ToList());
    }

    private void SetEnrolled(ImmutableHashSet<string> enrolled) => _enrolled = enrolled.WithComparer(StringComparer.Ordinal);

    private void OnVerdicts(VerdictsChanged m)
    {
        if (m.Source != KindWatcher.SourceNameOf(ResourceKind.Egress)) return; // only Egress has a status to write
        if (m.Full)
        {
            var now = m.Verdicts.Select(v => (v.Source, v.Key)).ToHashSet();
            foreach (var key in _verdicts.Keys.Where(k => !now.Contains(k)).ToList()) Forget(key);
        }
        foreach (var gone in m.Gone) Forget(gone);
        foreach (var v in m.Verdicts) _verdicts[(v.Source, v.Key)] = v;
        Recompute(m.Verdicts.Select(v => (v.Source, v.Key)).ToList());
    }

    private void Forget((WatchedResource, ObjectKey) key)
    {
        _verdicts.Remove(key);
        _written.Remove(key);
        _pending.Remove(key);
        _backingOff.Remove(key);
    }

    private void RecomputeAll() => Recompute(_verdicts.Keys.ToList());

    private void Recompute(IReadOnlyList<(WatchedResource, ObjectKey)> keys)
    {
        if (!Synced) return;
        foreach (var key in keys)
        {
            if (!_verdicts.TryGetValue(key, out var verdict)) continue;
            if (Want(verdict) is not { } wanted)
            {
                _pending.Remove(key);
                continue;
            }
            // Written by this writer, or already right in the object as listed or watched (after a start or a
            // hand-over): nothing to read, nothing to write.
            var known = _written.TryGetValue(key, out var written) && written.Same(wanted);
            if (known || (verdict.Observed is { } observed && _writer.IsCurrent(observed, wanted)))
            {
                if (!known)
                {
                    _written[key] = wanted;
                    _metrics.StatusWritten("current"); // found as wanted: nothing read, nothing written
                }
                _pending.Remove(key);
                continue;
            }
            if (_pending.TryGetValue(key, out var pending) && pending.Same(wanted)) continue;
            _pending[key] = wanted;
            if (!_inFlight.Contains(key) && !_backingOff.Contains(key)) _queue.Enqueue(key);
        }
        Pump();
    }

    /// <summary>The status an object should have, or null when it is not this mesh's to judge.</summary>
    private WantedStatus? Want(ObjectVerdict verdict)
    {
        var key = (verdict.Source, verdict.Key);
        if (!_enrolled.Contains(verdict.Key.Namespace))
        {
            // Not in the mesh. Only an object this writer judged before it left gets a last word (once).
            if (!_written.TryGetValue(key, out var before) || before.Conditions.Any(c => c.Reason == NotEnrolled)) return null;
            return new WantedStatus(
                [new StatusCondition(AcceptedCondition.Type, false, NotEnrolled,
                    $"namespace {verdict.Key.Namespace} is not enrolled in mesh {_settings.Catalog.MeshName} (label {MeshResourceCatalog.MonitoredByLabel}): this policy does nothing",
                    verdict.Generation)],
                [ResolvedRefs], null);
        }
        var accepted = AcceptedCondition.From(verdict).ToCondition();
        var last = verdict.AcceptedSpec is { } spec ? new LastAcceptedSpec(verdict.Generation, spec) : null;
        if (!verdict.InForce || !_inForce.TryGetValue(new ResourceKey(ResourceKind.Egress, verdict.Key.Namespace, verdict.Key.Name), out var r) ||
            r is not EgressPolicy egress)
        {
            return new WantedStatus([accepted], [ResolvedRefs], last);
        }
        var missing = egress.Matches.Select(egress.RouteGroupKey).Distinct().Where(k => !_inForce.ContainsKey(k)).ToList();
        var refs = missing.Count == 0
            ? new StatusCondition(ResolvedRefs, true, ResolvedRefs, egress.Matches.Count == 0 ? "names no HTTPRouteGroup" : "every HTTPRouteGroup it names exists",
                verdict.Generation)
            : new StatusCondition(ResolvedRefs, false, "RouteGroupNotFound",
                $"HTTPRouteGroup {string.Join(", ", missing.Select(k => $"{k.Namespace}/{k.Name}"))} does not exist (or is invalid): " +
                "no HTTP request matches its routes until it does (404)", verdict.Generation);
        return new WantedStatus([accepted, refs], [], last);
    }

    private void Pump()
    {
        while (_inFlight.Count < _options.StatusWriteConcurrency && _queue.TryDequeue(out var key))
        {
            if (_inFlight.Contains(key) || _backingOff.Contains(key) || !_pending.TryGetValue(key, out var wanted)) continue;
            _inFlight.Add(key);
            var (resource, objectKey) = key;
            var self = Self;
            _writer.WriteAsync(resource, objectKey, wanted, _stop.Token).PipeTo(self,
                success: outcome => new StatusWriteDone(resource, objectKey, wanted, outcome),
                failure: e => new StatusWriteFailed(resource, objectKey, wanted, e));
        }
    }

    private void OnWritten(StatusWriteDone m)
    {
        var key = (m.Resource, m.Key);
        _inFlight.Remove(key);
        _failuresInARow = 0;
        var outcome = m.Outcome switch
        {
            StatusWriteOutcome.Written => "written",
            StatusWriteOutcome.Unchanged => "unchanged",
            _ => "gone",
        };
        _metrics.StatusWritten(outcome);
        ControlLog.StatusWritten(_logger, m.Resource.Name, m.Key, outcome, m.Wanted);
        if (m.Outcome == StatusWriteOutcome.ObjectGone) _written.Remove(key);
        else _written[key] = m.Wanted;
        if (_pending.TryGetValue(key, out var pending))
        {
            if (pending.Same(m.Wanted) || m.Outcome == StatusWriteOutcome.ObjectGone) _pending.Remove(key);
            else _queue.Enqueue(key); // a newer wish arrived while this one was being written
        }
        Pump();
    }

    private void OnFailed(StatusWriteFailed m)
    {
        var key = (m.Resource, m.Key);
        _inFlight.Remove(key);
        if (_stop.IsCancellationRequested) return;
        _metrics.StatusWritten("failed");
        _failuresInARow++;
        var delay = TimeSpan.FromTicks(Math.Min(_options.StatusRetryMax.Ticks,
            _options.StatusRetryMin.Ticks * (long)Math.Pow(2, Math.Min(_failuresInARow - 1, 20))));
        var forbidden = m.Cause is HttpOperationException { Response.StatusCode: HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized };
        var reason = forbidden
            ? $"{(int)((HttpOperationException)m.Cause).Response.StatusCode} {((HttpOperationException)m.Cause).Response.StatusCode}: grant the controller's service account " +
              $"'get' and 'patch' on resource '{m.Resource.Resource.Plural}/status' in API group {m.Resource.Resource.Group} (a ClusterRole rule)"
            : m.Cause.Message;
        var level = forbidden ? LogLevel.Error : LogLevel.Warning;
        ControlLog.StatusWriteFailed(_logger, level, m.Resource.Name, m.Key, delay, reason);
        if (_pending.ContainsKey(key)) _backingOff.Add(key);
        if (!Timers.IsTimerActive(RetryTimer)) Timers.StartSingleTimer(RetryTimer, RetryStatusWrites.Instance, delay);
        Pump();
    }
}
