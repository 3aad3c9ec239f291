using k8s;
using Mesh.Kubernetes.Catalog;

namespace Mesh.Kubernetes.Access;

/// <summary>The list/watch client for a watched resource: CoreV1 for namespaces, CustomObjects for the rest.</summary>
public static class ResourceClients
{
    public static IResourceClient For(IKubernetes client, WatchedResource resource)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(resource);
        var r = resource.Resource;
        if (r.Group.Length == 0 && r.Plural == "namespaces") return new NamespaceClient(client, resource);
        if (r.Group.Length == 0) throw new NotSupportedException($"core resource {r.Plural} is not one Mesh watches");
        return new CustomResourceClient(client, resource);
    }
}
