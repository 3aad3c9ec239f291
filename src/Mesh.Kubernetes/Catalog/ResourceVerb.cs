namespace Mesh.Kubernetes.Catalog;

/// <summary>The Kubernetes authorization verbs Mesh uses, spelled as RBAC rules spell them.</summary>
public static class ResourceVerb
{
    public const string Get = "get";
    public const string List = "list";
    public const string Watch = "watch";
    public const string Patch = "patch";
}
