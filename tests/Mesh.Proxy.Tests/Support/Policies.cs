using Mesh.Policy.Loading;
using Mesh.Policy.Model;
using Mesh.Policy.Snapshots;
using Mesh.Policy.State;

namespace Mesh.Proxy.Tests.Support;

/// <summary>Manifest text for the tests' policies, and their compilation into the snapshot a proxy for curl/curl gets.</summary>
internal static class Policies
{
    public static readonly ServiceAccountIdentity Curl = new("curl", "curl");

    public static EgressSnapshot Compile(params string[] manifests)
    {
        var state = ClusterState.Empty;
        foreach (var manifest in manifests)
        {
            var result = ManifestLoader.LoadText(manifest, "t.yaml");
            Assert.True(result.Errors.Count == 0, string.Join("\n", result.Errors));
            foreach (var resource in result.Resources) state = state.Upsert(resource);
        }
        return SnapshotCompiler.Compile(state, Curl);
    }

    public static string MeshConfig(bool enableEgress) => SeedManifests.MeshConfig(enableEgress);

    /// <summary>An Egress for curl/curl with one port; <paramref name="hosts"/> empty means no hosts list.</summary>
    public static string Egress(string name, int port, string protocol, string[]? hosts = null, string? routeGroup = null)
    {
        var hostLines = hosts is { Length: > 0 } ? "  hosts:\n" + string.Concat(hosts.Select(h => $"  - {h}\n")) : "";
        var matches = routeGroup is null
            ? ""
            : $"  matches:\n  - apiGroup: specs.smi-spec.io/v1alpha4\n    kind: HTTPRouteGroup\n    name: {routeGroup}\n";
        return "kind: Egress\n" +
            "apiVersion: policy.openservicemesh.io/v1alpha1\n" +
            "metadata:\n" +
            $"  name: {name}\n" +
            "  namespace: curl\n" +
            "spec:\n" +
            "  sources:\n" +
            "  - kind: ServiceAccount\n" +
            "    name: curl\n" +
            "    namespace: curl\n" +
            hostLines +
            "  ports:\n" +
            $"  - number: {port}\n" +
            $"    protocol: {protocol}\n" +
            matches;
    }

    /// <summary>An HTTPRouteGroup in namespace curl with one match per (name, pathRegex).</summary>
    public static string RouteGroup(string name, params (string Name, string PathRegex)[] matches) =>
        "apiVersion: specs.smi-spec.io/v1alpha4\n" +
        "kind: HTTPRouteGroup\n" +
        "metadata:\n" +
        $"  name: {name}\n" +
        "  namespace: curl\n" +
        "spec:\n" +
        "  matches:\n" +
        string.Concat(matches.Select(m => $"  - name: {m.Name}\n    pathRegex: '{m.PathRegex}'\n"));
}
