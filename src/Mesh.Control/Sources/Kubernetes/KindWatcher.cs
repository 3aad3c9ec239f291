using Akka.Actor;
using Mesh.Control.Aggregation;
using Mesh.Control.Validation;
using Mesh.Kubernetes.Catalog;
using Mesh.Kubernetes.Conversion;
using Mesh.Kubernetes.Objects;
using Mesh.Kubernetes.Reflection;
using Mesh.Policy.Model;
using Microsoft.Extensions.Logging;

namespace Mesh.Control.Sources.Kubernetes;

/// <summary>
/// Watches one policy kind (Egress in both groups, HTTPRouteGroup, or the MeshConfig in both groups) and reports
/// what is in force to the aggregator: one <see cref="Resync"/> once every group of the kind has been listed (so
/// the aggregator reconciles this kind and counts it as read), then <see cref="ApplyChanges"/> for each change,
/// with each group's position. A <see cref="KindCatalog"/> does the conversion, the validation and the precedence
/// between groups; the verdicts go to the control plane as a <see cref="ValidationReport"/> (and, for the status
/// writer, as <see cref="VerdictsChanged"/>).
/// </summary>
internal sealed class KindWatcher : KubernetesWatcher
{
    private readonly KindCatalog _catalog;
    private bool _resynced;

    public KindWatcher(string sourceName, ResourceKind kind, KubernetesWatchSettings settings, SourceContext context, ControlPlaneMetrics metrics,
        ILoggerFactory loggerFactory)
        : base(sourceName, settings.Catalog.SourcesOf(kind), settings, context, metrics, loggerFactory)
    {
        _catalog = new KindCatalog(kind, settings.Catalog.SourcesOf(kind));
    }

    /// <summary>The name of a kind's watcher actor; its source (and supervisor) is this plus <c>-supervisor</c>.</summary>
    public static string NameOf(ResourceKind kind) => kind switch
    {
        ResourceKind.Egress => "egress-watcher",
        ResourceKind.HttpRouteGroup => "httproutegroup-watcher",
        ResourceKind.MeshConfig => "meshconfig-watcher",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>The name of a kind's <see cref="SourceDefinition"/>.</summary>
    public static string SourceNameOf(ResourceKind kind) => NameOf(kind) + "-supervisor";

    public static SourceDefinition Source(ResourceKind kind, KubernetesWatchSettings settings, ControlPlaneMetrics metrics, ILoggerFactory loggerFactory)
    {
        var name = NameOf(kind);
        var source = SourceNameOf(kind);
        return new(source, context => Supervised(
            Props.Create(() => new KindWatcher(source, kind, settings, context, metrics, loggerFactory)), name, settings.Restarts),
            new HashSet<ResourceKind> { kind });
    }

    protected override void OnSynced(ReflectorSynced synced) => Report(_catalog.Apply(synced));

    protected override void OnChanged(ReflectorChanged changed) => Report(_catalog.Apply(changed));

    private void Report(KindDelta delta)
    {
        if (!ReportVerdicts)
        {
            // The status writer's own watchers read the same objects: the control plane's watchers log and count them.
            foreach (var rejection in delta.Rejections) ControlLog.Rejected(Logger, rejection.ToString());
            Metrics.AddRejections(delta.Rejections.Count);
        }
        if (!_resynced)
        {
            if (!_catalog.IsSynced) return; // every group first: a Resync is all of this kind
            _resynced = true;
            Targets.Aggregator.Tell(new Resync(SourceName, [.. _catalog.InForce], Positions.All));
            ControlLog.SourceListed(Logger, SourceName, _catalog.InForce.Count);
            ReportValidation();
            if (ReportVerdicts) Targets.Aggregator.Tell(new VerdictsChanged(SourceName, [.. _catalog.Verdicts], [], Full: true));
            return;
        }
        if (delta.Changes.Count > 0) Targets.Aggregator.Tell(new ApplyChanges(delta.Changes, Positions.All));
        if (delta.Verdicts.Count == 0 && delta.Gone.Count == 0) return;
        ReportValidation();
        if (ReportVerdicts) Targets.Aggregator.Tell(new VerdictsChanged(SourceName, delta.Verdicts, delta.Gone, Full: false));
    }

    /// <summary>Every object of this kind with its state, as the control plane reports them (and <c>mesh_control_objects_rejected</c> counts).</summary>
    private void ReportValidation()
    {
        var verdicts = _catalog.Verdicts.OrderBy(v => v.Key, ObjectKey.Order).ThenBy(v => v.Source.Name, StringComparer.Ordinal).ToList();
        var objects = new List<ObjectStatus>(verdicts.Count);
        var conflicts = new List<ObjectConflict>();
        foreach (var v in verdicts)
        {
            var key = new ResourceKey(_catalog.Kind, v.Key.Namespace, v.Key.Name);
            var origin = KubeObjectConverter.Origin(v.Source, v.Key);
            var state = v.Reason switch
            {
                VerdictReason.Accepted => ObjectState.Accepted,
                VerdictReason.Shadowed => ObjectState.Shadowed,
                _ => v.KeptGeneration is not null ? ObjectState.RejectedKeepingPrevious : ObjectState.Rejected,
            };
            objects.Add(new ObjectStatus(key, origin, state, v.Reason == VerdictReason.Invalid ? _catalog.ErrorsOf(v.Source, v.Key) : []));
            if (state == ObjectState.Shadowed && verdicts.FirstOrDefault(w => w.Key == v.Key && w.InForce) is { } winner)
            {
                conflicts.Add(new ObjectConflict(key, KubeObjectConverter.Origin(winner.Source, winner.Key), origin));
            }
        }
        var report = new ValidationReport(objects, [.. objects.SelectMany(o => o.Errors)], [], conflicts, []);
        Targets.ControlPlane.Tell(new ValidationReported(SourceName, report));
    }
}
