using System.Text.Json.Nodes;
using Mesh.FakeKubeApi.Resources;
using Microsoft.AspNetCore.Http;

namespace Mesh.FakeKubeApi.Http;

/// <summary>
/// Discovery as clients read it: <c>/version</c>, <c>/api</c>, <c>/api/v1</c>, <c>/apis</c>, <c>/apis/{group}</c>,
/// <c>/apis/{group}/{version}</c> (the legacy, unaggregated documents; clients asking for the aggregated form fall
/// back to these when the answer is plain JSON). Built from the types served at the moment of the request, so a CRD
/// created a moment ago is discoverable.
/// </summary>
internal static class Discovery
{
    private static readonly string[] Verbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

    public static JsonObject? Answer(string path, ResourceTypes types, string serverAddress)
    {
        var parts = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        return parts switch
        {
            ["version"] => new JsonObject
            {
                ["major"] = "1",
                ["minor"] = "31",
                ["gitVersion"] = "v1.31.0-mesh-fake",
                ["platform"] = "linux/amd64",
            },
            ["api"] => new JsonObject
            {
                ["kind"] = "APIVersions",
                ["versions"] = new JsonArray("v1"),
                ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = serverAddress }),
            },
            ["api", "v1"] => ResourceList("v1", types.All.Where(t => t.Group.Length == 0 && t.Serves("v1"))),
            ["apis"] => new JsonObject
            {
                ["kind"] = "APIGroupList",
                ["apiVersion"] = "v1",
                ["groups"] = new JsonArray(Groups(types).Select(g => (JsonNode)Group(g.Key, g.Value)).ToArray()),
            },
            ["apis", var group] => Groups(types).TryGetValue(group, out var versions) ? Group(group, versions) : null,
            ["apis", var group, var version] => types.All.Any(t => t.Group == group && t.Serves(version))
                ? ResourceList($"{group}/{version}", types.All.Where(t => t.Group == group && t.Serves(version)))
                : null,
            _ => null,
        };
    }

    public static bool IsDiscoveryPath(string path) =>
        path is "/version" or "/api" or "/api/" or "/apis" or "/apis/" ||
        (path.StartsWith("/api/", StringComparison.Ordinal) && path.Trim('/').Split('/').Length == 2) ||
        (path.StartsWith("/apis/", StringComparison.Ordinal) && path.Trim('/').Split('/').Length is 2 or 3);

    /// <summary>Each non-core group and its versions, by priority (the first is the preferred one).</summary>
    private static SortedDictionary<string, List<string>> Groups(ResourceTypes types)
    {
        var groups = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var t in types.All.Where(t => t.Group.Length > 0))
        {
            if (!groups.TryGetValue(t.Group, out var versions)) groups[t.Group] = versions = [];
            foreach (var v in t.Versions.Where(v => !versions.Contains(v))) versions.Add(v);
        }
        foreach (var versions in groups.Values) versions.Sort(ResourceTypes.CompareVersionPriority);
        return groups;
    }

    private static JsonObject Group(string name, List<string> versions)
    {
        JsonObject Version(string v) => new() { ["groupVersion"] = $"{name}/{v}", ["version"] = v };
        return new JsonObject
        {
            ["kind"] = "APIGroup",
            ["apiVersion"] = "v1",
            ["name"] = name,
            ["versions"] = new JsonArray(versions.Select(v => (JsonNode)Version(v)).ToArray()),
            ["preferredVersion"] = Version(versions[0]),
        };
    }

    private static JsonObject ResourceList(string groupVersion, IEnumerable<ResourceType> types)
    {
        var resources = new JsonArray();
        foreach (var t in types.OrderBy(t => t.Plural, StringComparer.Ordinal))
        {
            var entry = new JsonObject
            {
                ["name"] = t.Plural,
                ["singularName"] = t.Singular,
                ["namespaced"] = t.Namespaced,
                ["kind"] = t.Kind,
                ["verbs"] = new JsonArray(Verbs.Select(v => (JsonNode)v!).ToArray()),
            };
            if (t.ShortNames is { Count: > 0 } shortNames) entry["shortNames"] = new JsonArray(shortNames.Select(s => (JsonNode)s!).ToArray());
            resources.Add(entry);
            if (t.HasStatus)
            {
                resources.Add(new JsonObject
                {
                    ["name"] = $"{t.Plural}/status",
                    ["singularName"] = "",
                    ["namespaced"] = t.Namespaced,
                    ["kind"] = t.Kind,
                    ["verbs"] = new JsonArray("get", "patch", "update"),
                });
            }
        }
        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = groupVersion,
            ["resources"] = resources,
        };
    }
}
