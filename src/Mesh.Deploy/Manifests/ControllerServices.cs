using k8s.Models;
using Mesh.Deploy.Values;

namespace Mesh.Deploy.Manifests;

/// <summary>The controllers' two Services: the headless one for cluster seeds and proxies, and the webhook's.</summary>
internal static class ControllerServices
{
    /// <summary>
    /// Headless, and listing pods before they are ready: a controller becomes ready only after joining the cluster,
    /// so the seeds it joins through must be resolvable before that. Proxies resolve the same name to reach every
    /// controller as cluster-client contact points.
    /// </summary>
    public static V1Service Headless(InstallValues values, MeshNames names) => new()
    {
        ApiVersion = "v1",
        Kind = "Service",
        Metadata = new V1ObjectMeta { Name = names.ControllerService, NamespaceProperty = names.Namespace, Labels = names.ComponentLabels(names.Controller) },
        Spec = new V1ServiceSpec
        {
            ClusterIP = "None",
            PublishNotReadyAddresses = true,
            Selector = names.ControllerSelector,
            Ports = [new V1ServicePort { Name = "cluster", Port = values.ControllerClusterPort, TargetPort = "cluster", Protocol = "TCP" }],
        },
    };

    /// <summary>The API server calls the injection webhook here (HTTPS on 443, served by every controller).</summary>
    public static V1Service Injector(MeshNames names) => new()
    {
        ApiVersion = "v1",
        Kind = "Service",
        Metadata = new V1ObjectMeta { Name = names.Injector, NamespaceProperty = names.Namespace, Labels = names.ComponentLabels(names.Injector) },
        Spec = new V1ServiceSpec
        {
            Selector = names.ControllerSelector,
            Ports = [new V1ServicePort { Name = "webhook", Port = 443, TargetPort = "webhook", Protocol = "TCP" }],
        },
    };
}
