using Mesh.Policy.Model;

namespace Mesh.Kubernetes.Catalog;

/// <summary>
/// What one reflector lists and watches: a resource, optionally narrowed to one namespace, a label selector and a
/// field selector (all applied by the API server, so only matching objects cross the wire).
/// <see cref="PolicyKind"/> is the Mesh.Policy kind the objects become, or null (namespaces).
/// </summary>
public sealed record WatchedResource(
    ApiResource Resource,
    ResourceKind? PolicyKind,
    string? Namespace = null,
    string? LabelSelector = null,
    string? FieldSelector = null)
{
    /// <summary>A short stable name for logs and metric labels: <c>egresses.policy.openservicemesh.io</c>.</summary>
    public string Name => Resource.Name;

    /// <summary>Where the watch reaches, for error messages: "cluster-wide" or "in namespace x".</summary>
    public string Scope => Namespace is null ? "cluster-wide" : $"in namespace {Namespace}";

    public override string ToString()
    {
        var filters = string.Join(", ", new[] { LabelSelector, FieldSelector }.Where(s => s is not null));
        return filters.Length == 0 ? $"{Name} {Scope}" : $"{Name} {Scope} ({filters})";
    }
}
