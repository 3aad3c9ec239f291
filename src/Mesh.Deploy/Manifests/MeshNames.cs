using Mesh.Deploy.Values;
using Mesh.Kubernetes.Catalog;

namespace Mesh.Deploy.Manifests;

/// <summary>
/// The names and labels of everything an installation creates, derived from the mesh's name and namespace, so that
/// two meshes in one cluster never collide and every object can be found by <see cref="InstanceLabels"/>.
/// </summary>
internal sealed class MeshNames(InstallValues values)
{
    /// <summary>OSM's namespace label: enrolled namespaces carry it with the mesh's name (<c>osm namespace add</c>).</summary>
    public const string MonitoredByLabel = MeshResourceCatalog.MonitoredByLabel;

    public string Mesh => values.MeshName;

    public string Namespace => values.Namespace;

    public string Controller => $"{Mesh}-controller";

    /// <summary>Headless: its DNS name lists every controller pod, ready or not, for cluster seeds and proxies.</summary>
    public string ControllerService => $"{Mesh}-controller";

    public string Injector => $"{Mesh}-injector";

    public string InjectorSecret => $"{Mesh}-injector-tls";

    /// <summary>Cluster-scoped objects are named by mesh, not namespace: one mesh name per cluster.</summary>
    public string InjectorWebhookConfiguration => $"{Mesh}-sidecar-injector";

    /// <summary>A webhook's name must be fully qualified; the Service's DNS name is ours and unique.</summary>
    public string InjectorWebhook => $"sidecar-injector.{Mesh}.{Namespace}.svc";

    /// <summary>The MeshConfig the controllers read, in the mesh's namespace (reference.conf's default name).</summary>
    public const string MeshConfig = "mesh-config";

    /// <summary>The controllers' DNS name for proxies and cluster seeds; resolves to every controller pod's address.</summary>
    public string ControllerServiceHost => $"{ControllerService}.{Namespace}.svc";

    public string ControllerContactPoints => $"{ControllerServiceHost}:{values.ControllerClusterPort}";

    /// <summary>Every name the API server may use to reach the webhook; the serving certificate covers all of them.</summary>
    public IReadOnlyList<string> InjectorDnsNames =>
    [
        Injector,
        $"{Injector}.{Namespace}",
        $"{Injector}.{Namespace}.svc",
        $"{Injector}.{Namespace}.svc.cluster.local",
    ];

    /// <summary>For objects every mesh of the cluster shares (the CRDs): no instance.</summary>
    public static Dictionary<string, string> SharedLabels => new()
    {
        ["app.kubernetes.io/part-of"] = "mesh",
        ["app.kubernetes.io/managed-by"] = "mesh-install",
    };

    public Dictionary<string, string> InstanceLabels => new()
    {
        ["app.kubernetes.io/part-of"] = "mesh",
        ["app.kubernetes.io/instance"] = Mesh,
        ["app.kubernetes.io/managed-by"] = "mesh-install",
    };

    public Dictionary<string, string> ComponentLabels(string component) =>
        new(InstanceLabels) { ["app.kubernetes.io/name"] = component };

    /// <summary>The selector of the controller pods: stable across upgrades (a Deployment's selector is immutable).</summary>
    public Dictionary<string, string> ControllerSelector => new()
    {
        ["app.kubernetes.io/instance"] = Mesh,
        ["app.kubernetes.io/name"] = Controller,
    };
}
