namespace Mesh.Kubernetes.Catalog;

/// <summary>
/// One RBAC rule Mesh needs: verbs on a resource (or a subresource such as <c>egresses/status</c>) of an API group,
/// cluster-wide or in one namespace. The deploy manifests must grant at least these (a test checks it).
/// </summary>
public sealed record RbacRule(string Group, string Resource, IReadOnlyList<string> Verbs, string? Namespace, string Why)
{
    public override string ToString()
    {
        var where = Namespace is null ? "cluster-wide" : $"in namespace {Namespace}";
        var group = Group.Length == 0 ? "core" : Group;
        return $"{string.Join(",", Verbs)} {Resource} ({group}) {where}: {Why}";
    }
}
