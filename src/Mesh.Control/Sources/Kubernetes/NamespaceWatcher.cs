using Akka.Actor;
using Mesh.Control.Aggregation;
using Mesh.Kubernetes.Enrollment;
using Mesh.Kubernetes.Reflection;
using Mesh.Policy.Model;
using Microsoft.Extensions.Logging;

namespace Mesh.Control.Sources.Kubernetes;

/// <summary>
/// Watches the namespaces enrolled in the mesh (labelled <c>openservicemesh.io/monitored-by: &lt;mesh&gt;</c>) and
/// reports the enrolled set: in its <see cref="Resync"/> after the first list, then as
/// <see cref="Mesh.Policy.State.ResourceChange.EnrollmentChanged"/> whenever it changes. The aggregator counts
/// Egress objects only in these namespaces, so unenrolling a namespace withdraws its policies; until the first
/// list, none counts.
/// </summary>
internal sealed class NamespaceWatcher : KubernetesWatcher
{
    public const string Name = "namespace-watcher";
    public const string DefinitionName = Name + "-supervisor";

    private readonly NamespaceEnrollment _enrollment;
    private bool _resynced;

    public NamespaceWatcher(KubernetesWatchSettings settings, SourceContext context, ControlPlaneMetrics metrics, ILoggerFactory loggerFactory)
        : base(DefinitionName, [settings.Catalog.EnrolledNamespaces], settings, context, metrics, loggerFactory)
    {
        _enrollment = new NamespaceEnrollment(settings.Catalog.MeshName, settings.Catalog.MeshConfigKey);
    }

    public static SourceDefinition Source(KubernetesWatchSettings settings, ControlPlaneMetrics metrics, ILoggerFactory loggerFactory) =>
        new(DefinitionName, context => Supervised(
            Props.Create(() => new NamespaceWatcher(settings, context, metrics, loggerFactory)), Name, settings.Restarts),
            new HashSet<ResourceKind>(), Enrollment: true);

    protected override void OnSynced(ReflectorSynced synced) => Report(_enrollment.Apply(synced));

    protected override void OnChanged(ReflectorChanged changed) => Report(_enrollment.Apply(changed));

    private void Report(EnrollmentDelta? delta)
    {
        if (delta is not null) ControlLog.EnrollmentChanged(Logger, _enrollment.MeshName, delta.Enrolled.Count, delta.Added, delta.Removed);
        if (!_resynced)
        {
            if (!_enrollment.IsSynced) return;
            _resynced = true;
            Targets.Aggregator.Tell(new Resync(SourceName, [], Positions.All, _enrollment.Enrolled));
            return;
        }
        if (delta is not null) Targets.Aggregator.Tell(new ApplyChanges([delta.ToChange()], Positions.All));
    }
}
