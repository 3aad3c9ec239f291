using Mesh.Policy.Model;

namespace Mesh.Policy.Loading;

/// <summary>The apiVersions accepted for each kind, exactly as OSM, osm-edge and FSM users already write them.</summary>
internal static class ApiVersions
{
    private static readonly Dictionary<string, (ResourceKind Kind, string[] Versions)> ByKind = new(StringComparer.Ordinal)
    {
        ["MeshConfig"] = (ResourceKind.MeshConfig, [
            "config.openservicemesh.io/v1alpha1", "config.openservicemesh.io/v1alpha2",
            "config.openservicemesh.io/v1alpha3", "config.flomesh.io/v1alpha3"]),
        ["Egress"] = (ResourceKind.Egress, ["policy.openservicemesh.io/v1alpha1", "policy.flomesh.io/v1alpha1"]),
        ["HTTPRouteGroup"] = (ResourceKind.HttpRouteGroup, ["specs.smi-spec.io/v1alpha4"]),
    };

    /// <summary>API groups that are ours: an unknown version in one of them is an error, not something to ignore.</summary>
    private static readonly string[] OwnGroups =
        ["config.openservicemesh.io", "config.flomesh.io", "policy.openservicemesh.io", "policy.flomesh.io", "specs.smi-spec.io"];

    public const string RouteGroupApiGroup = "specs.smi-spec.io/v1alpha4";

    public enum Match
    {
        Known,
        UnknownVersion,
        NotOurs,
    }

    public static Match Classify(string apiVersion, string kind, out ResourceKind resourceKind, out string expected)
    {
        resourceKind = default;
        expected = "";
        if (ByKind.TryGetValue(kind, out var entry))
        {
            resourceKind = entry.Kind;
            expected = string.Join(", ", entry.Versions);
            if (entry.Versions.Contains(apiVersion, StringComparer.Ordinal)) return Match.Known;
            var group = apiVersion.Split('/')[0];
            return OwnGroups.Contains(group, StringComparer.Ordinal) ? Match.UnknownVersion : Match.NotOurs;
        }
        return Match.NotOurs;
    }
}
