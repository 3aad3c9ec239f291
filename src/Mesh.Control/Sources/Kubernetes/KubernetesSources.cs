using Mesh.Policy.Model;
using Microsoft.Extensions.Logging;

namespace Mesh.Control.Sources.Kubernetes;

/// <summary>The sources of a control plane on Kubernetes: one watcher per kind, and the enrolled namespaces.</summary>
internal static class KubernetesSources
{
    public static IReadOnlyList<SourceDefinition> All(KubernetesWatchSettings settings, ControlPlaneMetrics metrics, ILoggerFactory loggerFactory) =>
    [
        KindWatcher.Source(ResourceKind.Egress, settings, metrics, loggerFactory),
        KindWatcher.Source(ResourceKind.HttpRouteGroup, settings, metrics, loggerFactory),
        KindWatcher.Source(ResourceKind.MeshConfig, settings, metrics, loggerFactory),
        NamespaceWatcher.Source(settings, metrics, loggerFactory),
    ];
}
