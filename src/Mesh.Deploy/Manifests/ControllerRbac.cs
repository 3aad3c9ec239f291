using k8s.Models;

namespace Mesh.Deploy.Manifests;

/// <summary>
/// The controllers' ServiceAccount and its permissions: a ClusterRole for the cluster-wide watches and the status
/// writer, a Role in the mesh's namespace for seed discovery. Generated from <see cref="WatchedResources"/>, one rule
/// per resource, so a reviewer reads exactly what is granted and why.
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
        Rules = Rules(namespaced: false),
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
        Rules = Rules(namespaced: true),
    };

    public static V1RoleBinding RoleBinding(MeshNames names) => new()
    {
        ApiVersion = "rbac.authorization.k8s.io/v1",
        Kind = "RoleBinding",
        Metadata = Meta(names, names.Namespace),
        RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "Role", Name = names.Controller },
        Subjects = [Subject(names)],
    };

    private static List<V1PolicyRule> Rules(bool namespaced) =>
        WatchedResources.All.Where(r => r.Namespaced == namespaced)
            .Select(r => new V1PolicyRule { ApiGroups = [r.Group], Resources = [r.Resource], Verbs = r.Verbs })
            .ToList();

    private static Rbacv1Subject Subject(MeshNames names) =>
        new() { Kind = "ServiceAccount", Name = names.Controller, NamespaceProperty = names.Namespace };

    private static V1ObjectMeta Meta(MeshNames names, string? ns) =>
        new() { Name = names.Controller, NamespaceProperty = ns, Labels = names.ComponentLabels(names.Controller) };
}
