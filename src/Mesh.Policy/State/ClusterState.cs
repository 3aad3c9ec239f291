using System.Collections.Immutable;
using Mesh.Policy.Model;

namespace Mesh.Policy.State;

/// <summary>
/// Everything the policy core knows at one moment: the objects that count, immutable. Changes make a new state.
/// <see cref="MeshConfigKey"/> names the one MeshConfig that counts; others are kept but ignored.
/// <see cref="EnrolledNamespaces"/> is null when every namespace counts (a directory of manifests); on
/// Kubernetes it lists the namespaces enrolled in the mesh, and Egress objects elsewhere do not count.
/// </summary>
public sealed record ClusterState(
    ResourceKey MeshConfigKey,
    ImmutableDictionary<ResourceKey, MeshResource> Objects,
    ImmutableHashSet<string>? EnrolledNamespaces)
{
    public static ResourceKey DefaultMeshConfigKey { get; } = new(ResourceKind.MeshConfig, "mesh-system", "mesh-config");

    public static ClusterState Empty { get; } = Create(DefaultMeshConfigKey);

    public static ClusterState Create(ResourceKey meshConfigKey, IEnumerable<string>? enrolledNamespaces = null) =>
        new(meshConfigKey, ImmutableDictionary<ResourceKey, MeshResource>.Empty, enrolledNamespaces?.ToImmutableHashSet(StringComparer.Ordinal));

    /// <summary>The MeshConfig that counts, or the defaults when it does not exist.</summary>
    public MeshConfig MeshConfig =>
        Objects.TryGetValue(MeshConfigKey, out var r) && r is MeshConfig m ? m : MeshConfig.Defaults(MeshConfigKey);

    public ClusterState Upsert(MeshResource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return this with { Objects = Objects.SetItem(resource.Key, resource) };
    }

    public ClusterState Remove(ResourceKey key) => this with { Objects = Objects.Remove(key) };

    public ClusterState WithEnrolledNamespaces(IEnumerable<string>? namespaces) =>
        this with { EnrolledNamespaces = namespaces?.ToImmutableHashSet(StringComparer.Ordinal) };

    public bool IsEnrolled(string ns) => EnrolledNamespaces is null || EnrolledNamespaces.Contains(ns);

    /// <summary>The Egress objects that count: in enrolled namespaces.</summary>
    public IEnumerable<EgressPolicy> Egresses =>
        Objects.Values.OfType<EgressPolicy>().Where(e => IsEnrolled(e.Key.Namespace));

    public HttpRouteGroup? RouteGroup(ResourceKey key) =>
        Objects.TryGetValue(key, out var r) ? r as HttpRouteGroup : null;
}
