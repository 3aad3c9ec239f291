using k8s.Models;
using Mesh.Kubernetes.Catalog;
using Mesh.Policy.Model;

namespace Mesh.Deploy.Manifests;

/// <summary>
/// The controllers' ServiceAccount and its permissions: a ClusterRole for the cluster-wide watches and the status
/// writer, a Role in the mesh's namespace for the MeshConfig watch and seed discovery. Generated from
/// <see cref="MeshResourceCatalog.Permissions"/>, the list the watchers and the status writer are built from (one source
/// of truth), one rule per resource, so a reviewer reads exactly what is granted.
/// </summary>
internal static class ControllerRbac
{
    public static V1ServiceAccount ServiceAccount(MeshNames names) => new()
    {
        ApiVersion = "v1",
        Kind = "ServiceAccount",
        Metadata = Meta(names, names.Namespace),
    };

    public static V1ClusterRole ClusterRole(MeshNames names) => new()
    {
        ApiVersion = "rbac.authorization.k8s.io/v1",
        Kind = "ClusterRole",
        Metadata = Meta(names, null),
        Rules = Rules(names, null),
    };

    public static V1ClusterRoleBinding ClusterRoleBinding(MeshNames names) => new()
    {
        ApiVersion = "rbac.authorization.k8s.io/v1",
        Kind = "ClusterRoleBinding",
        Metadata = Meta(names, null),
        RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = names.Controller },
        Subjects = [Subject(names)],
    };

    public static V1Role Role(MeshNames names) => new()
    {
        ApiVersion = "rbac.authorization.k8s.io/v1",
        Kind = "Role",
        Metadata = Meta(names, names.Namespace),
        Rules = Rules(names, names.Namespace),
    };

    public static V1RoleBinding RoleBinding(MeshNames names) => new()
    {
        ApiVersion = "rbac.authorization.k8s.io/v1",
        Kind = "RoleBinding",
        Metadata = Meta(names, names.Namespace),
        RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "Role", Name = names.Controller },
        Subjects = [Subject(names)],
    };

    /// <summary>What the controllers of this installation read and write: their mesh and their MeshConfig.</summary>
    public static MeshResourceCatalog Catalog(MeshNames names) =>
        new(names.Mesh, new ResourceKey(ResourceKind.MeshConfig, names.Namespace, MeshNames.MeshConfig));

    /// <summary>The rules of one scope: cluster-wide (null) or the mesh's namespace; any other scope has no Role to go in.</summary>
    private static List<V1PolicyRule> Rules(MeshNames names, string? ns)
    {
        var permissions = Catalog(names).Permissions;
        if (permissions.FirstOrDefault(r => r.Namespace is not null && r.Namespace != names.Namespace) is { } stray)
        {
            throw new InvalidOperationException($"no Role renders the permission {stray}");
        }
        return permissions.Where(r => r.Namespace == ns)
            .Select(r => new V1PolicyRule { ApiGroups = [r.Group], Resources = [r.Resource], Verbs = [.. r.Verbs] })
            .ToList();
    }

    private static Rbacv1Subject Subject(MeshNames names) =>
        new() { Kind = "ServiceAccount", Name = names.Controller, NamespaceProperty = names.Namespace };

    private static V1ObjectMeta Meta(MeshNames names, string? ns) =>
        new() { Name = names.Controller, NamespaceProperty = ns, Labels = names.ComponentLabels(names.Controller) };
}
