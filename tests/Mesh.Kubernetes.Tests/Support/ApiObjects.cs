using System.Text.Json.Nodes;
using Mesh.Kubernetes.Objects;

namespace Mesh.Kubernetes.Tests.Support;

/// <summary>API objects as a server sends them, for the pure tests.</summary>
internal static class ApiObjects
{
    public static KubeObject Egress(string ns, string name, JsonObject spec, string rv = "10", long generation = 1,
        string apiVersion = "policy.openservicemesh.io/v1alpha1") =>
        KubeObject.Parse(new JsonObject
        {
            ["apiVersion"] = apiVersion,
            ["kind"] = "Egress",
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["namespace"] = ns,
                ["uid"] = $"uid-{ns}-{name}",
                ["resourceVersion"] = rv,
                ["generation"] = generation,
            },
            ["spec"] = spec,
        }.ToJsonString());

    public static KubeObject Namespace(string name, string rv = "1", IDictionary<string, string>? labels = null) =>
        KubeObject.Parse(new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["uid"] = $"uid-{name}",
                ["resourceVersion"] = rv,
                ["labels"] = new JsonObject((labels ?? new Dictionary<string, string>()).Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
            },
        }.ToJsonString());
}
