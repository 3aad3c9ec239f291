using Mesh.Deploy.Manifests.Crds;

namespace Mesh.Deploy.Manifests;

/// <summary>One API resource the controller uses, with the verbs it uses on it; <c>Namespaced</c>: only in the mesh's namespace.</summary>
internal sealed record WatchedResource(string Group, string Resource, string[] Verbs, bool Namespaced = false, string Why = "");

/// <summary>
/// What the controllers do with the Kubernetes API, and nothing more: the RBAC rules are generated from this list.
/// Watchers list+watch; the status writer gets and patches Egress status; seed discovery lists the controller pods.
/// </summary>
internal static class WatchedResources
{
    private static readonly string[] ListWatch = ["list", "watch"];

    public static IReadOnlyList<WatchedResource> All { get; } =
    [
        .. EgressCrd.Groups.Select(g => new WatchedResource(g, "egresses", ListWatch, Why: "egress watcher")),
        .. EgressCrd.Groups.Select(g => new WatchedResource(g, "egresses/status", ["get", "patch"], Why: "status writer")),
        new(HttpRouteGroupCrd.Group, "httproutegroups", ListWatch, Why: "route group watcher"),
        .. MeshConfigCrd.Groups.Select(g => new WatchedResource(g.Group, "meshconfigs", ListWatch, Why: "MeshConfig watcher")),
        new("", "namespaces", ListWatch, Why: "which namespaces are enrolled (monitored-by label)"),
        new("", "pods", ["list"], Namespaced: true, Why: "cluster seed discovery: the other controller pods"),
    ];
}
