using Mesh.FakeKubeApi.Resources;

namespace Mesh.FakeKubeApi.Http;

/// <summary>
/// What a resource URL names: <c>/api/v1[/namespaces/{ns}]/{plural}[/{name}[/{subresource}]]</c> or the same under
/// <c>/apis/{group}/{version}</c>.
/// </summary>
internal sealed record RequestTarget(ResourceType Type, string Version, string? Namespace, string? Name, string? Subresource)
{
    public static RequestTarget? Parse(string path, ResourceTypes types)
    {
        var parts = path.Trim('/').Split('/', StringSplitOptions.None);
        string group, version;
        int i;
        if (parts.Length >= 3 && parts[0] == "api")
        {
            (group, version, i) = ("", parts[1], 2);
        }
        else if (parts.Length >= 4 && parts[0] == "apis")
        {
            (group, version, i) = (parts[1], parts[2], 3);
        }
        else
        {
            return null;
        }
        var rest = parts[i..];
        string? ns = null;
        // namespaces/{ns}/{plural}/... names a namespaced resource, unless {plural} is a subresource of the
        // namespace itself (status, finalize): the server resolves it the same way.
        if (rest.Length >= 3 && rest[0] == "namespaces" && types.Find(group, version, rest[2]) is { Namespaced: true })
        {
            ns = rest[1];
            rest = rest[2..];
        }
        var type = types.Find(group, version, rest[0]);
        if (type is null || rest.Length > 3) return null;
        if (ns is not null && !type.Namespaced) return null;
        var name = rest.Length >= 2 ? Uri.UnescapeDataString(rest[1]) : null;
        var sub = rest.Length == 3 ? rest[2] : null;
        return new RequestTarget(type, version, ns, name, sub);
    }

    public string ApiVersion => Type.ApiVersion(Version);
}
