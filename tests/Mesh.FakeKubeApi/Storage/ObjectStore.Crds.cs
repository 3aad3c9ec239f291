using System.Text.Json.Nodes;

namespace Mesh.FakeKubeApi.Storage;

public sealed partial class ObjectStore
{
    /// <summary>
    /// Whether a created CustomResourceDefinition is at once <c>NamesAccepted</c> and <c>Established</c>, as the real
    /// server's apiextensions controllers make it a moment later (here in the same write). Off: CRDs are stored without
    /// status and never become Established unless a test writes their status (an installer's wait then times out).
    /// </summary>
    public bool EstablishCustomResourceDefinitions { get; set; } = true;

    /// <summary>The status the apiextensions controllers give a CRD whose names do not conflict.</summary>
    private static JsonObject EstablishedCrdStatus(JsonObject crd, DateTimeOffset now)
    {
        var time = ObjectMeta.Timestamp(now);
        var spec = crd["spec"] as JsonObject;
        var storage = (spec?["versions"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .Where(v => v["storage"] is JsonValue s && s.TryGetValue<bool>(out var b) && b)
            .Select(v => (string?)v["name"])
            .OfType<string>();
        return new JsonObject
        {
            ["conditions"] = new JsonArray(
                Condition("NamesAccepted", "NoConflicts", "no conflicts found", time),
                Condition("Established", "InitialNamesAccepted", "the initial names have been accepted", time)),
            ["acceptedNames"] = spec?["names"]?.DeepClone(),
            ["storedVersions"] = new JsonArray([.. storage.Select(s => (JsonNode)JsonValue.Create(s))]),
        };
    }

    private static JsonObject Condition(string type, string reason, string message, string time) => new()
    {
        ["type"] = type,
        ["status"] = "True",
        ["lastTransitionTime"] = time,
        ["reason"] = reason,
        ["message"] = message,
    };
}
