using System.Text.Json.Nodes;

namespace Mesh.FakeKubeApi.Patching;

/// <summary>
/// JSON merge patch (RFC 7386): objects merge key by key, null deletes, anything else (lists included) replaces.
/// The fake also uses it for strategic merge patches and server-side apply; for the flat lists of Mesh's CRDs
/// and for labels and annotations the results agree (the fake documents where they would not).
/// </summary>
public static class MergePatch
{
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject) return patch?.DeepClone();
        var result = target is JsonObject t ? (JsonObject)t.DeepClone() : new JsonObject();
        foreach (var (key, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(key);
                continue;
            }
            var merged = Apply(result[key], value);
            result[key] = merged;
        }
        return result;
    }
}
