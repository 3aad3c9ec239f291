using k8s;
using k8s.Models;

namespace Mesh.Deploy.Cluster;

/// <summary>One object of the cluster, as install names it in its report and errors: kind, namespace, name, and where it is served.</summary>
internal sealed record ObjectRef(ObjectEndpoint Endpoint, string? Namespace, string Name)
{
    public static ObjectRef Of(IKubernetesObject<V1ObjectMeta> o)
    {
        ArgumentNullException.ThrowIfNull(o);
        var endpoint = ObjectEndpoints.For(o);
        return new ObjectRef(endpoint, endpoint.Namespaced ? o.Metadata.NamespaceProperty : null, o.Metadata.Name);
    }

    /// <summary>For an API call: <c>patch deployments.apps "mesh-controller" in namespace mesh-system</c>.</summary>
    public string Describe(string verb) =>
        Namespace is null ? $"{verb} {Endpoint.Resource} \"{Name}\"" : $"{verb} {Endpoint.Resource} \"{Name}\" in namespace {Namespace}";

    /// <summary>For the report, as kubectl names objects: <c>deployment.apps/mesh-controller (mesh-system)</c>.</summary>
    public override string ToString() => Namespace is null ? $"{Endpoint.ShortName}/{Name}" : $"{Endpoint.ShortName}/{Name} ({Namespace})";
}
