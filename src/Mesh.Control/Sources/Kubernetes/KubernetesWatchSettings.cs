using k8s;
using Mesh.Kubernetes.Catalog;
using Mesh.Kubernetes.Reflection;

namespace Mesh.Control.Sources.Kubernetes;

/// <summary>
/// What every Kubernetes watcher of one control plane (or of the status writer) shares: the client, the catalog of
/// watched resources, reflector timing, how its supervisor restarts it, and whether it reports its verdicts (to the
/// status writer, which is then its "aggregator").
/// </summary>
internal sealed record KubernetesWatchSettings(
    IKubernetes Client,
    MeshResourceCatalog Catalog,
    ReflectorOptions Reflector,
    RestartPolicy Restarts,
    bool ReportVerdicts = false);
