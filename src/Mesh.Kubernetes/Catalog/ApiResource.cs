namespace Mesh.Kubernetes.Catalog;

/// <summary>
/// One resource type of the Kubernetes API, as its REST paths name it: API group (empty for the core group), the
/// versions Mesh can read in order of preference, the plural resource name and the kind.
/// </summary>
/// <remarks>
/// Several versions of one group are views of the same objects (a CRD serves them all from one storage version),
/// so a watcher reads exactly one of them: the first of <see cref="Versions"/> the server serves.
/// </remarks>
public sealed record ApiResource(string Group, IReadOnlyList<string> Versions, string Plural, string Kind, bool Namespaced)
{
    /// <summary><c>plural.group</c>, or just the plural for the core group: the name RBAC rules and kubectl use.</summary>
    public string Name => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    /// <summary>The group/version an object of this resource carries as <c>apiVersion</c>.</summary>
    public string ApiVersion(string version) => Group.Length == 0 ? version : $"{Group}/{version}";

    public override string ToString() => Name;
}
