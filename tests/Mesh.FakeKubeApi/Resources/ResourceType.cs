namespace Mesh.FakeKubeApi.Resources;

/// <summary>
/// A resource type the fake serves: its group, served versions (the first is the preferred one), plural and
/// singular names, kind, scope, and whether it has a status subresource. Objects are stored once per type,
/// whatever version they were written in, as a CRD without conversion webhooks does.
/// </summary>
public sealed record ResourceType(
    string Group,
    IReadOnlyList<string> Versions,
    string Plural,
    string Singular,
    string Kind,
    bool Namespaced,
    bool HasStatus = false,
    IReadOnlyList<string>? ShortNames = null)
{
    /// <summary><c>plural.group</c> (just the plural in the core group): the key objects are stored under.</summary>
    public string GroupResource => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    public string ListKind => $"{Kind}List";

    public string ApiVersion(string version) => Group.Length == 0 ? version : $"{Group}/{version}";

    public bool Serves(string version) => Versions.Contains(version, StringComparer.Ordinal);

    public override string ToString() => GroupResource;
}
